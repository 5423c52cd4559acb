import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { Drawer } from "./drawer.tsx";
import { GuestBadge } from "./guest-badge.tsx";

/** Who is in the room now, with a count: the right column, or the "Members" drawer on narrow screens. */
export function OnlinePanel(props: { online: UserRef[]; me: UserRef; drawer: DrawerControl }) {
  const seen = new Set<string>();
  const people = props.online.filter((user) => !seen.has(user.id) && seen.add(user.id));
  return (
    <Drawer drawer={props.drawer} as="aside" label="Online" class="members-panel">
      <h2 class="panel-title">Online ({people.length})</h2>
      <ul class="online-list">
        {people.map((user) => (
          <li key={user.id} class={user.id === props.me.id ? "is-me" : undefined}>
            <span class="online-dot" aria-hidden="true" />
            <span class="online-name">{user.name}</span>
            {user.id === props.me.id && <span class="muted"> (you)</span>}
            {user.guest && <GuestBadge />}
          </li>
        ))}
      </ul>
    </Drawer>
  );
}
