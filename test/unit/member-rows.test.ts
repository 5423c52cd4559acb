import { describe, expect, test } from "vitest";
import { type ListedMember, memberRows } from "../../web/src/lib/member-rows.ts";

const member = (id: string, extra: Partial<ListedMember> = {}): ListedMember => ({
  id,
  username: id,
  role: "member",
  online: false,
  lastSeenAt: null,
  ...extra,
});

describe("memberRows", () => {
  test("a room without a member list shows who is here, guests marked, each once", () => {
    const rows = memberRows(
      null,
      [
        { id: "g", name: "Wanderer", guest: true },
        { id: "a", name: "ann", guest: false },
      ],
      "a",
    );
    expect(rows.map((r) => [r.name, r.guest, r.online, r.me])).toEqual([
      ["ann", false, true, true],
      ["Wanderer", true, true, false],
    ]);
  });

  test("members: online first (in the app or here now), then the most recently seen, never-seen last", () => {
    const rows = memberRows(
      [
        member("old", { lastSeenAt: "2026-01-01T00:00:00.000Z" }),
        member("never"),
        member("recent", { lastSeenAt: "2026-12-01T00:00:00.000Z" }),
        member("app", { online: true }),
        member("here", { lastSeenAt: "2025-01-01T00:00:00.000Z", role: "owner" }),
      ],
      [{ id: "here", name: "here", guest: false }],
      "old",
    );
    expect(rows.map((r) => r.id)).toEqual(["app", "here", "recent", "old", "never"]);
    const here = rows.find((r) => r.id === "here");
    expect(here).toMatchObject({ online: true, lastSeenAt: null, owner: true });
    expect(rows.find((r) => r.id === "old")?.me).toBe(true);
  });
});
