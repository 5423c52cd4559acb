// Generated avatars: stable colours per id, AA contrast for the initials in both themes.
import { describe, expect, it } from "vitest";
import { AVATAR_TEXT, avatarLook, contrastRatio, initials } from "../../web/src/lib/avatar.ts";

const ids = [
  ...Array.from({ length: 2000 }, (_, i) => `user-${i}`),
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "",
  "general",
];

describe("avatars", () => {
  it("keeps the initials at AA contrast (4.5:1) on every colour, in both themes", () => {
    let worst = Number.POSITIVE_INFINITY;
    for (const id of ids) {
      const look = avatarLook(id, "Ann Lee");
      worst = Math.min(
        worst,
        contrastRatio(look.light, AVATAR_TEXT.light),
        contrastRatio(look.dark, AVATAR_TEXT.dark),
      );
      expect(look.light).toMatch(/^#[0-9a-f]{6}$/);
      expect(look.dark).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it("gives one id the same colour every time, whatever the name, and spreads ids over many colours", () => {
    expect(avatarLook("u-42", "Ann")).toEqual({ ...avatarLook("u-42", "Bob"), initials: "A" });
    const colours = new Set(ids.map((id) => avatarLook(id, "x").light));
    expect(colours.size).toBeGreaterThan(100);
  });

  it("takes up to two initials, keeps emoji and accents whole, never returns nothing", () => {
    expect(initials("Ann Lee")).toBe("AL");
    expect(initials("alice_3f9a")).toBe("A");
    expect(initials("mary-jane")).toBe("MJ");
    expect(initials("bob")).toBe("B");
    expect(initials("élodie")).toBe("É");
    expect(initials("🦊 fox")).toBe("🦊F");
    expect(initials("fox 🦊")).toBe("F");
    expect(initials("  ")).toBe("?");
  });

  it("measures contrast as WCAG does", () => {
    expect(contrastRatio("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrastRatio("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });
});
