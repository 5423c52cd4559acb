import { describe, expect, it } from "vitest";
import { ActivityFanout, unreadCount } from "../../worker/room/activity-fanout.ts";

const at = new Date("2026-12-06T12:00:00Z");

describe("unreadCount", () => {
  it("counts after the read mark, or after joining for someone who never read", () => {
    expect(unreadCount(10, 0, 4)).toBe(6);
    expect(unreadCount(10, 7, 0)).toBe(3);
    expect(unreadCount(10, 7, 9)).toBe(1);
    expect(unreadCount(10, 0, 12)).toBe(0);
  });
});

describe("ActivityFanout", () => {
  const members = [
    { userId: "a", joinedSeq: 0 },
    { userId: "b", joinedSeq: 5 },
  ];

  it("tells each member their own count, then only those whose count moved", () => {
    const fanout = new ActivityFanout();
    const marks = new Map([["a", 8]]);
    const read = (id: string) => marks.get(id) ?? 0;
    const first = fanout.due({ roomId: "r", latestSeq: 10, latestAt: at, online: 1 }, members, read);
    expect(first).toEqual([
      {
        userId: "a",
        activity: { roomId: "r", unread: 2, latestSeq: 10, latestAt: at.toISOString(), online: 1 },
      },
      { userId: "b", activity: expect.objectContaining({ unread: 5 }) },
    ]);
    expect(fanout.due({ roomId: "r", latestSeq: 10, latestAt: at, online: 1 }, members, read)).toEqual([]);
    marks.set("b", 10);
    expect(
      fanout.due({ roomId: "r", latestSeq: 10, latestAt: at, online: 1 }, members, read).map((f) => f.userId),
    ).toEqual(["b"]);
    // Someone arriving moves everyone's count of who is here.
    expect(fanout.due({ roomId: "r", latestSeq: 10, latestAt: at, online: 2 }, members, read)).toHaveLength(
      2,
    );
  });

  it("tells a reader once, and again after they leave the online set and come back", () => {
    const fanout = new ActivityFanout();
    const now = { roomId: "r", latestSeq: 3, latestAt: null, online: 0 };
    expect(fanout.dueFor(now, "a", 0)).toMatchObject({ unread: 0, latestAt: null });
    expect(fanout.dueFor(now, "a", 0)).toBeNull();
    fanout.due(now, [], () => 0);
    expect(fanout.dueFor(now, "a", 0)).not.toBeNull();
  });
});
