import type { Room } from "../lib/api.ts";
import { roomPath, roomSigil } from "../lib/router.ts";
import type { RoomList as LoadedRooms } from "../lib/use-room-list.ts";
import { Link } from "./link.tsx";
import { LoadError, Skeleton } from "./load-state.tsx";
import { LockIcon } from "./lock-icon.tsx";

/** One room in a list: name, privacy, and its online and unread counts. */
export function RoomLink(props: { room: Room; current?: boolean }) {
  const { room } = props;
  return (
    <Link href={roomPath(room.id)} class="room-link" current={props.current}>
      <span class="room-hash" aria-hidden="true">
        {roomSigil(room.visibility)}
      </span>
      <span class="room-name">{room.name}</span>
      {room.visibility === "private" && <LockIcon label="private" />}
      {room.visibility === "lobby" && <span class="room-tag">open to guests</span>}
      <RoomCounts online={room.online ?? 0} unread={room.unread ?? 0} />
    </Link>
  );
}

/** "3 unread" as a badge and "2 online" as quiet text; nothing when both are zero. */
function RoomCounts(props: { online: number; unread: number }) {
  return (
    <span class="room-counts">
      {props.online > 0 && <span class="room-online">{props.online} online</span>}
      {props.unread > 0 && (
        <span class="unread-badge" title={`${props.unread} unread`}>
          {props.unread > 99 ? "99+" : props.unread}
          <span class="visually-hidden"> unread</span>
        </span>
      )}
    </span>
  );
}

/** The rooms as `useRoomList` loads them: a skeleton, then the list, or why it failed. */
export function RoomList(props: { list: LoadedRooms; currentRoomId?: string | null }) {
  const { rooms, error, retry } = props.list;
  return (
    <>
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
    </>
  );
}
