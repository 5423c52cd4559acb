// How the sidebar and the pages group the room list: pure, so the rules are unit-tested.
//
// - Rooms: #general and the lobby first (everyone's, always there), then the rooms the
//   person belongs to, most recently active first.
// - Direct messages: the person's direct rooms, most recently active first.
// - Browse: public rooms they have not joined.

/** What the rules read of a listed room (web/src/lib/api.ts `Room` has these and more). */
export interface SectionedRoom {
  id: string;
  visibility: "public" | "private" | "lobby" | "direct";
  member?: boolean | undefined;
  owner?: boolean | undefined;
  latestAt?: string | null | undefined;
}

/** The rooms every list starts with, in this order. */
const PINNED = ["general", "lobby"];

export function isPinned(room: SectionedRoom): boolean {
  return PINNED.includes(room.id);
}

/**
 * Most recently active first; a room with no message yet keeps its place from the server
 * (which puts it by creation time). A stable sort, so equal times keep the server's order.
 */
function byActivity<R extends SectionedRoom>(rooms: R[]): R[] {
  return rooms
    .map((room, index) => ({ room, index }))
    .sort((a, b) => {
      const at = a.room.latestAt ?? "";
      const bt = b.room.latestAt ?? "";
      if (at && bt && at !== bt) return at < bt ? 1 : -1;
      if (at && !bt) return -1;
      if (!at && bt) return 1;
      return a.index - b.index;
    })
    .map(({ room }) => room);
}

export function roomSections<R extends SectionedRoom>(rooms: R[]): { rooms: R[]; direct: R[] } {
  const pinned = PINNED.flatMap((id) => rooms.filter((room) => room.id === id));
  const joined = rooms.filter(
    (room) => !isPinned(room) && room.member === true && room.visibility !== "direct",
  );
  const direct = rooms.filter((room) => room.visibility === "direct");
  return { rooms: [...pinned, ...byActivity(joined)], direct: byActivity(direct) };
}

/** Public rooms to browse: not one of the pinned, not joined yet. */
export function browsableRooms<R extends SectionedRoom>(rooms: R[]): R[] {
  return rooms.filter((room) => room.visibility === "public" && !isPinned(room) && room.member !== true);
}

/**
 * Whether "Leave room" is offered: rooms the person joined, but not the pinned ones, not a
 * direct conversation, and not a private room they own (the server refuses those too).
 */
export function canLeave(room: SectionedRoom): boolean {
  if (isPinned(room) || room.member !== true) return false;
  if (room.visibility === "public") return true;
  return room.visibility === "private" && room.owner !== true;
}

/** The most recently active rooms and direct rooms together, for the welcome page. */
export function recentRooms<R extends SectionedRoom>(rooms: R[], count: number): R[] {
  const { rooms: joined, direct } = roomSections(rooms);
  return byActivity([...joined, ...direct]).slice(0, count);
}
