import type { FriendsHub, FriendsView } from "../lib/friends-hub.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { useRoomList } from "../lib/use-room-list.ts";
import { Drawer } from "./drawer.tsx";
import { FriendsPanel } from "./friends-panel.tsx";
import { RoomList } from "./room-link.tsx";

interface Props {
  /** The drawer on phones (a column on wider screens). */
  drawer: DrawerControl;
  /** Its name: "Rooms", "Friends" or "Rooms and friends", as it holds. */
  label: string;
  /** The account's friends; null for guests and visitors. */
  friends: { hub: FriendsHub; view: FriendsView } | null;
  /** False on the home page, whose main content is the room list already. */
  showRooms: boolean;
  /** The open room, marked as the current page. */
  currentRoomId: string | null;
}

/** The left sidebar: the rooms, then the friends. */
export function AppSidebar(props: Props) {
  const { friends } = props;
  return (
    <Drawer drawer={props.drawer} as="nav" label={props.label} class="sidebar">
      {props.showRooms ? (
        <SidebarRooms currentRoomId={props.currentRoomId} friends={friends} />
      ) : (
        friends && <FriendsPanel hub={friends.hub} view={friends.view} />
      )}
    </Drawer>
  );
}

function SidebarRooms(props: { currentRoomId: string | null; friends: Props["friends"] }) {
  const list = useRoomList(props.currentRoomId);
  const { friends } = props;
  // The friends come in below the rooms once the rooms are in: a list growing out of its
  // placeholder above them would push them down (a layout shift as the page opens).
  const roomsSettled = list.rooms !== null || list.error !== null;
  return (
    <>
      <section class="sidebar-section" aria-labelledby="sidebar-rooms-title">
        <h2 class="sidebar-title" id="sidebar-rooms-title">
          Room list
        </h2>
        <RoomList list={list} currentRoomId={props.currentRoomId} />
      </section>
      {friends && roomsSettled && <FriendsPanel hub={friends.hub} view={friends.view} />}
    </>
  );
}
