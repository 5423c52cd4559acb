import { describe, expect, it } from "vitest";
import { INVITE_LIMITS, inviteQuota, inWords, quotaMessage } from "../../worker/access/invite-quota.ts";

const now = new Date("2026-12-10T12:00:00Z");
const inHours = (h: number) => new Date(now.getTime() + h * 3_600_000);
const links = (createdBy: string, count: number, firstExpiresInHours: number) =>
  Array.from({ length: count }, (_, i) => ({ createdBy, expiresAt: inHours(firstExpiresInHours + i) }));

describe("inviteQuota", () => {
  it("lets links in below both limits", () => {
    expect(inviteQuota(links("a", INVITE_LIMITS.perCreator - 1, 1), "a")).toEqual({ allowed: true });
  });

  it("refuses a person at their own limit, freeing when their oldest expires", () => {
    const live = [...links("b", 5, 1), ...links("a", INVITE_LIMITS.perCreator, 3)];
    expect(inviteQuota(live, "a")).toEqual({
      allowed: false,
      scope: "creator",
      limit: INVITE_LIMITS.perCreator,
      freesAt: inHours(3),
    });
    expect(inviteQuota(live, "b")).toEqual({ allowed: true });
  });

  it("refuses anyone once the room is full, freeing when the room's oldest expires", () => {
    const live = [...links("a", 20, 2), ...links("b", 20, 5), ...links("c", 10, 1)];
    expect(inviteQuota(live, "d")).toEqual({
      allowed: false,
      scope: "room",
      limit: INVITE_LIMITS.perRoom,
      freesAt: inHours(1),
    });
  });
});

describe("quotaMessage", () => {
  it("says how many, who can revoke, and when one frees up, in words", () => {
    const verdict = { allowed: false, scope: "room", limit: 50, freesAt: inHours(3) } as const;
    expect(quotaMessage(verdict, now)).toBe(
      "This room has 50 live invite links, the most it may have. Its owner can revoke some in Settings; otherwise the oldest expires in about 3 hours.",
    );
    expect(inWords(30_000)).toBe("in about a minute");
    expect(inWords(45 * 60_000)).toBe("in about 45 minutes");
    expect(inWords(6.5 * 24 * 3_600_000)).toBe("in about 7 days");
  });
});
