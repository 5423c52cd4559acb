import type { Room } from "../lib/api.ts";
import { roomPath, roomSigil } from "../lib/router.ts";
import { Link } from "./link.tsx";
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
      {/* The room on screen is being read: its badge would only count what is in view. */}
      <RoomCounts online={room.online ?? 0} unread={props.current ? 0 : (room.unread ?? 0)} />
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
