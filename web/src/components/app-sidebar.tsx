import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { useRoomList } from "../lib/use-room-list.ts";
import { Drawer } from "./drawer.tsx";
import { LoadError, Skeleton } from "./load-state.tsx";
import { RoomLink } from "./room-link.tsx";
import { SidebarFriendsSlot } from "./sidebar-friends-slot.tsx";

interface Props {
  /** The "Rooms" drawer on phones (a column on wider screens). */
  drawer: DrawerControl;
  me: UserRef | null;
  /** False on the home page, whose main content is the room list already. */
  showRooms: boolean;
  /** The open room, marked as the current page. */
  currentRoomId: string | null;
}

/** The left sidebar: the rooms, then the Friends slot. */
export function AppSidebar(props: Props) {
  return (
    <Drawer drawer={props.drawer} as="nav" label="Rooms" class="sidebar">
      {props.showRooms && <SidebarRooms currentRoomId={props.currentRoomId} />}
      <SidebarFriendsSlot me={props.me} />
    </Drawer>
  );
}

function SidebarRooms(props: { currentRoomId: string | null }) {
  const { rooms, error, retry } = useRoomList();
  return (
    <section class="sidebar-section" aria-labelledby="sidebar-rooms-title">
      <h2 class="sidebar-title" id="sidebar-rooms-title">
        Room list
      </h2>
      {error && <LoadError message={error} onRetry={retry} />}
      {rooms === null && !error && <Skeleton label="Loading rooms…" rows={4} />}
      {rooms && (
        <ul class="room-list">
          {rooms.map((room) => (
            <li key={room.id}>
              <RoomLink room={room} current={room.id === props.currentRoomId} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
