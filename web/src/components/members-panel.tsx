// The members panel (the right column, or the "Members" drawer on narrower screens). A
// private room or a DM lists every member, online first, then "last seen …"; a public room
// or the lobby shows who is there now. An empty panel says so in words.
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { Room } from "../lib/api.ts";
import { type MemberRow, memberRows } from "../lib/member-rows.ts";
import { timeAgo } from "../lib/relative-time.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { useRoomMembers } from "../lib/use-room-members.ts";
import { Avatar } from "./avatar.tsx";
import { Drawer } from "./drawer.tsx";
import { GuestBadge } from "./guest-badge.tsx";

interface Props {
  room: Room;
  /** Who is in the room now (its presence). */
  here: UserRef[];
  /** null for a visitor. */
  me: UserRef | null;
  drawer: DrawerControl;
}

export function MembersPanel(props: Props) {
  const { room, me } = props;
  const account = me && !me.guest ? me : null;
  const listed = account !== null && (room.visibility === "private" || room.visibility === "direct");
  const hereKey = [...new Set(props.here.map((user) => user.id))].sort().join(",");
  const members = useRoomMembers(room.id, listed, hereKey);
  const rows = memberRows(listed ? members : null, props.here, me?.id ?? "");
  const online = rows.filter((row) => row.online);
  const offline = rows.filter((row) => !row.online);

  return (
    <Drawer drawer={props.drawer} as="aside" label="Members" class="members-panel">
      {listed && members !== null ? (
        <>
          <MemberSection title="Online" rows={online} empty="Nobody else is online right now." />
          {offline.length > 0 && <MemberSection title="Offline" rows={offline} />}
        </>
      ) : (
        <MemberSection
          title="Here now"
          rows={online}
          empty={
            me === null
              ? "Nobody signed in is here right now. Sign up or continue as a guest to join in."
              : "Nobody is here right now."
          }
        />
      )}
    </Drawer>
  );
}

function MemberSection(props: { title: string; rows: MemberRow[]; empty?: string }) {
  const id = `members-${props.title.toLowerCase().replaceAll(" ", "-")}`;
  return (
    <section class="members-section" aria-labelledby={id}>
      <h2 class="panel-title" id={id}>
        {props.rows.length > 0 ? `${props.title} · ${props.rows.length}` : props.title}
      </h2>
      {props.rows.length === 0 ? (
        <p class="members-empty">{props.empty}</p>
      ) : (
        <ul class="members-list">
          {props.rows.map((row) => (
            <MemberItem key={row.id} row={row} />
          ))}
        </ul>
      )}
    </section>
  );
}

function MemberItem(props: { row: MemberRow }) {
  const { row } = props;
  const status = row.online ? "online" : row.lastSeenAt ? `last seen ${timeAgo(row.lastSeenAt)}` : "offline";
  return (
    <li class={`member${row.online ? " is-online" : ""}`}>
      <span class="member-avatar">
        <Avatar id={row.id} name={row.name} size={28} />
        <span class={`presence-dot${row.online ? " is-online" : ""}`} aria-hidden="true" />
      </span>
      <span class="member-text">
        <span class="member-line">
          <span class="member-name" title={row.name}>
            {row.name}
          </span>
          {row.me && <span class="member-tag">(you)</span>}
          {row.owner && <span class="member-tag">owner</span>}
          {row.guest && <GuestBadge />}
        </span>
        {row.online ? (
          <span class="visually-hidden">, online</span>
        ) : (
          <span class="member-status">{status}</span>
        )}
      </span>
    </li>
  );
}
