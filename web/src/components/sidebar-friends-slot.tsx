import type { UserRef } from "../../../worker/protocol/room-protocol.ts";

/**
 * The Friends panel goes here: the left sidebar renders this below the room list (and
 * alone on the home page, where the room list is the main content). It renders nothing
 * until friends exist; the sidebar column hides itself while it has no content.
 * `me` is null for a visitor with no session.
 */
export function SidebarFriendsSlot(_props: { me: UserRef | null }) {
  return null;
}
