import { describe, expect, it } from "vitest";
import {
  browsableRooms,
  canLeave,
  recentRooms,
  roomSections,
  type SectionedRoom,
} from "../../web/src/lib/room-sections.ts";

function room(
  id: string,
  visibility: SectionedRoom["visibility"],
  extra: Partial<SectionedRoom> = {},
): SectionedRoom {
  return { id, visibility, member: true, latestAt: null, ...extra };
}

describe("room sections", () => {
  const list: SectionedRoom[] = [
    room("lobby", "lobby", { member: false, latestAt: "2026-12-06T10:00:00Z" }),
    room("general", "public", { latestAt: "2026-12-06T09:00:00Z" }),
    room("old", "public", { latestAt: "2026-12-01T00:00:00Z" }),
    room("dm-a", "direct", { latestAt: "2026-12-02T00:00:00Z" }),
    room("secret", "private", { latestAt: "2026-12-05T00:00:00Z", owner: true }),
    room("quiet", "private"),
    room("dm-b", "direct", { latestAt: "2026-12-04T00:00:00Z" }),
    room("stranger", "public", { member: false, latestAt: "2026-12-06T11:00:00Z" }),
  ];

  it("pins #general then the lobby, then joined rooms by latest activity; never-used rooms last", () => {
    expect(roomSections(list).rooms.map((r) => r.id)).toEqual(["general", "lobby", "secret", "old", "quiet"]);
  });

  it("keeps direct rooms apart, most recently active first", () => {
    expect(roomSections(list).direct.map((r) => r.id)).toEqual(["dm-b", "dm-a"]);
  });

  it("a new message moves its room up (the list stays live as latestAt changes)", () => {
    const moved = list.map((r) => (r.id === "old" ? { ...r, latestAt: "2026-12-06T12:00:00Z" } : r));
    expect(roomSections(moved).rooms.map((r) => r.id)).toEqual([
      "general",
      "lobby",
      "old",
      "secret",
      "quiet",
    ]);
  });

  it("browses only public rooms not joined, never the pinned ones", () => {
    expect(browsableRooms(list).map((r) => r.id)).toEqual(["stranger"]);
  });

  it("offers Leave for joined public and private rooms only, not pins, DMs or a private room one owns", () => {
    expect(list.filter(canLeave).map((r) => r.id)).toEqual(["old", "quiet"]);
  });

  it("the welcome page's recent rooms mix rooms and direct rooms by activity", () => {
    expect(recentRooms(list, 4).map((r) => r.id)).toEqual(["lobby", "general", "secret", "dm-b"]);
  });
});
