import { describe, expect, test } from "vitest";
import { avatarColour, initials } from "../../web/src/lib/avatar-colour.ts";

function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5]
    .map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

describe("generated avatars", () => {
  test("initials: first letters of up to two words, never a digit for the second", () => {
    expect(initials("bob_smith")).toBe("BS");
    expect(initials("alice_83bd")).toBe("A");
    expect(initials("Wanderer")).toBe("W");
    expect(initials("élodie lune")).toBe("ÉL");
    expect(initials("___")).toBe("?");
  });

  test("the same id always gets the same colour, and white text on it is at least 4.5:1", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `user-${i}-${i * 7919}`);
    for (const id of ids) {
      const colour = avatarColour(id);
      expect(avatarColour(id)).toBe(colour);
      expect(1.05 / (luminance(colour) + 0.05)).toBeGreaterThanOrEqual(4.5);
    }
    expect(new Set(ids.map(avatarColour)).size).toBeGreaterThan(4);
  });
});
