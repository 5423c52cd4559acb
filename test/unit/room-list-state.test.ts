import { describe, expect, it } from "vitest";
import {
  applyPinnedOnline,
  applyRoomActivity,
  byActivity,
  type RoomCounts,
  tabTitle,
  totalUnread,
} from "../../web/src/lib/room-list-state.ts";

type Room = RoomCounts & { name: string; visibility: string };

const rooms: Room[] = [
  { id: "general", name: "general", visibility: "public", unread: 0, online: 3, latestAt: null },
  {
    id: "dm1",
    name: "bob",
    visibility: "direct",
    unread: 2,
    online: 1,
    latestAt: "2026-12-06T10:00:00.000Z",
  },
];

describe("room list state", () => {
  it("applies a room's counts, and keeps its latest time when the frame has none", () => {
    const next = applyRoomActivity(rooms, {
      roomId: "dm1",
      unread: 5,
      latestSeq: 9,
      latestAt: null,
      online: 2,
    });
    expect(next?.[1]).toMatchObject({ unread: 5, online: 2, latestAt: "2026-12-06T10:00:00.000Z" });
    expect(next?.[0]).toBe(rooms[0]);
  });

  it("counts a public room the reader was told about as theirs (their first read made them a member)", () => {
    const listed = [{ id: "p1", member: false, unread: 0, online: 0, latestAt: null }];
    const next = applyRoomActivity(listed, {
      roomId: "p1",
      unread: 0,
      latestSeq: 3,
      latestAt: null,
      online: 1,
    });
    expect(next?.[0]?.member).toBe(true);
  });

  it("returns the same list when nothing moved, and null for a room it lacks", () => {
    const same = { roomId: "dm1", unread: 2, latestSeq: 2, latestAt: "2026-12-06T10:00:00.000Z", online: 1 };
    expect(applyRoomActivity(rooms, same)).toBe(rooms);
    expect(applyRoomActivity(rooms, { ...same, roomId: "new-dm" })).toBeNull();
  });

  it("takes #general's and the lobby's counts from online_total", () => {
    const next = applyPinnedOnline(rooms, { general: 7, lobby: 2 });
    expect(next[0]?.online).toBe(7);
    expect(next[1]).toBe(rooms[1]);
    expect(applyPinnedOnline(rooms, { general: 3 })).toBe(rooms);
  });

  it("adds up the unread for the tab, capped in the title", () => {
    expect(totalUnread(rooms)).toBe(2);
    expect(totalUnread(null)).toBe(0);
    expect(tabTitle("#general", 2)).toBe("(2) #general · Chattr");
    expect(tabTitle(null, 0)).toBe("Chattr");
    expect(tabTitle("bob", 250)).toBe("(99+) bob · Chattr");
  });

  it("orders the built-in rooms first, then the most recently active", () => {
    const [general, dm] = rooms as [Room, Room];
    const later: Room = { ...dm, id: "r2", latestAt: "2026-12-06T11:00:00.000Z" };
    const sorted = [dm, later, general].sort(byActivity).map((r) => r.id);
    expect(sorted).toEqual(["general", "r2", "dm1"]);
  });
});
