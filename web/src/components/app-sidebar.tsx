import type { FriendsHub, FriendsView } from "../lib/friends-hub.ts";
import { roomSections } from "../lib/room-sections.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { type RoomList as LoadedRooms, useRoomList } from "../lib/use-room-list.ts";
import { Drawer } from "./drawer.tsx";
import { FriendsPanel } from "./friends-panel.tsx";
import { Link } from "./link.tsx";
import { LoadError, Skeleton } from "./load-state.tsx";
import { SidebarRoom } from "./sidebar-room.tsx";

interface Props {
  /** The drawer on phones (a column on wider screens). */
  drawer: DrawerControl;
  /** Its name: "Rooms and friends", or "Rooms" for guests and visitors. */
  label: string;
  /** The account's friends; null for guests and visitors. */
  friends: { hub: FriendsHub; view: FriendsView } | null;
  /** The open room, marked as the current page. */
  currentRoomId: string | null;
  /** Signed in with an account: direct messages and "Leave" exist. */
  account: boolean;
}

/** The left sidebar: Rooms, Direct messages, Friends. */
export function AppSidebar(props: Props) {
  const { friends } = props;
  const list = useRoomList(props.currentRoomId);
  return (
    <Drawer drawer={props.drawer} as="nav" label={props.label} class="sidebar">
      <SidebarRooms list={list} currentRoomId={props.currentRoomId} account={props.account} />
      {/* Friends come in below the rooms once the rooms are in: a list growing out of its
          placeholder above them would push them down (a layout shift as the page opens). */}
      {friends && (list.rooms !== null || list.error !== null) && (
        <FriendsPanel hub={friends.hub} view={friends.view} />
      )}
    </Drawer>
  );
}

function SidebarRooms(props: { list: LoadedRooms; currentRoomId: string | null; account: boolean }) {
  const { rooms, error, retry } = props.list;
  const sections = rooms ? roomSections(rooms) : null;
  return (
    <>
      <section class="sidebar-section" aria-labelledby="sidebar-rooms-title">
        <div class="sidebar-heading">
          <h2 class="sidebar-title" id="sidebar-rooms-title">
            Rooms
          </h2>
          <Link href="/rooms" class="sidebar-action" current={false}>
            Browse rooms
          </Link>
        </div>
        {error && <LoadError message={error} onRetry={retry} />}
        {!sections && !error && <Skeleton label="Loading rooms…" rows={4} />}
        {sections && (
          <ul class="room-list">
            {sections.rooms.map((room) => (
              <SidebarRoom
                key={room.id}
                room={room}
                current={room.id === props.currentRoomId}
                leavable={props.account}
              />
            ))}
          </ul>
        )}
      </section>
      {props.account && (
        // No aria-labelledby: a region named "Direct messages" would answer to "Message",
        // the composer's name, for anyone finding the composer by its label.
        <section class="sidebar-section">
          <h2 class="sidebar-title" id="sidebar-direct-title">
            Direct messages
          </h2>
          {sections && sections.direct.length === 0 && (
            <p class="muted small sidebar-empty">Press “Message” beside a friend to talk one to one.</p>
          )}
          {sections && sections.direct.length > 0 && (
            <ul class="room-list">
              {sections.direct.map((room) => (
                <SidebarRoom
                  key={room.id}
                  room={room}
                  current={room.id === props.currentRoomId}
                  leavable={false}
                />
              ))}
            </ul>
          )}
        </section>
      )}
    </>
  );
}
