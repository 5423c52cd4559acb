// Who may read and write in which room: the product's access promise, in one pure
// function that every route and the room object ask.
//
// | who                  | public         | lobby          | private, direct          |
// | visitor (no session) | read           | read           | name only                |
// | guest                | read           | read and write | name only                |
// | signed-in user       | read and write | read and write | read and write if member |
//
// A direct room is a private room whose two members are fixed when it is created. To anyone
// else it does not exist: "name only" and "forbidden" would tell who talks to whom.
import type { RoomVisibility, UserRef } from "../protocol/room-protocol.ts";

export type { RoomVisibility };

/** Rooms only their members may read. */
export function isMembersOnly(visibility: RoomVisibility): boolean {
  return visibility === "private" || visibility === "direct";
}

export interface Access {
  read: boolean;
  write: boolean;
}

/** `viewer` is null for a visitor without a session. */
export function roomAccess(visibility: RoomVisibility, viewer: UserRef | null, isMember: boolean): Access {
  switch (visibility) {
    case "public":
      return { read: true, write: viewer !== null && !viewer.guest };
    case "lobby":
      return { read: true, write: viewer !== null };
    case "private":
    case "direct": {
      const member = viewer !== null && !viewer.guest && isMember;
      return { read: member, write: member };
    }
    default:
      return visibility satisfies never;
  }
}

/**
 * Why a viewer without read access is refused: 401 invites signing in, 403 does not, and
 * a direct room is answered as a room that does not exist.
 */
export function refusal(
  visibility: RoomVisibility,
  viewer: UserRef | null,
): "not_found" | "unauthenticated" | "forbidden" {
  if (visibility === "direct") return "not_found";
  return viewer === null ? "unauthenticated" : "forbidden";
}

/** Whether the room's existence may be shown to this viewer at all. */
export function isHiddenFrom(visibility: RoomVisibility, viewer: UserRef | null, isMember: boolean): boolean {
  return visibility === "direct" && !roomAccess(visibility, viewer, isMember).read;
}
