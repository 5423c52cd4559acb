// The room list as the hub keeps it live: `room_activity` frames fold into the list the API
// gave, and the tab's badge adds up what is unread. Pure logic, unit-tested in Node.
import type { RoomActivity } from "../../../worker/protocol/hub-protocol.ts";
import { PINNED_ROOM_IDS } from "../../../worker/protocol/room-protocol.ts";

/** The part of a listed room (api.ts `Room`) that the hub keeps live. */
export interface RoomCounts {
  id: string;
  /** Whether the reader belongs to it (public rooms: from their first read there). */
  member?: boolean;
  unread?: number;
  online?: number;
  latestAt?: string | null;
}

/**
 * The list with `activity` applied, or null when the list does not have that room (a DM
 * someone just opened with this user, a room joined in another tab): the caller loads the
 * list again. An older frame (lower `latestSeq`) never undoes a newer one.
 */
export function applyRoomActivity<R extends RoomCounts>(
  rooms: readonly R[],
  activity: RoomActivity,
): R[] | null {
  const index = rooms.findIndex((room) => room.id === activity.roomId);
  if (index === -1) return null;
  const room = rooms[index] as R;
  const next: R = {
    ...room,
    // Rooms tell members only: a public room read for the first time has just made them one.
    member: room.member === undefined ? undefined : true,
    unread: activity.unread,
    online: activity.online,
    latestAt: activity.latestAt ?? room.latestAt ?? null,
  };
  if (
    next.unread === room.unread &&
    next.online === room.online &&
    next.latestAt === room.latestAt &&
    next.member === room.member
  ) {
    return rooms as R[];
  }
  const copy = [...rooms];
  copy[index] = next;
  return copy;
}

/**
 * The people in the rooms every list shows, from the hub's `online_total`: those rooms tell
 * everyone, members or not.
 */
export function applyPinnedOnline<R extends RoomCounts>(
  rooms: readonly R[],
  online: Record<string, number>,
): R[] {
  let changed = false;
  const next = rooms.map((room) => {
    const count = online[room.id];
    if (count === undefined || count === room.online) return room;
    changed = true;
    return { ...room, online: count };
  });
  return changed ? next : (rooms as R[]);
}

/** Every unread message across the list: the tab title's and the favicon's number. */
export function totalUnread(rooms: readonly RoomCounts[] | null): number {
  let total = 0;
  for (const room of rooms ?? []) total += room.unread ?? 0;
  return total;
}

/** The built-in rooms come first, then the most recently active (the API's own order). */
export function byActivity(a: RoomCounts, b: RoomCounts): number {
  const pinA = PINNED_ROOM_IDS.indexOf(a.id);
  const pinB = PINNED_ROOM_IDS.indexOf(b.id);
  if (pinA !== -1 || pinB !== -1) return (pinA === -1 ? 99 : pinA) - (pinB === -1 ? 99 : pinB);
  return (b.latestAt ?? "").localeCompare(a.latestAt ?? "");
}

/** What the tab title says: the unread total first, so it shows in a row of tabs. */
export function tabTitle(page: string | null, unread: number): string {
  const prefix = unread > 0 ? `(${unread > 99 ? "99+" : unread}) ` : "";
  return `${prefix}${page ? `${page} · ` : ""}Chattr`;
}
