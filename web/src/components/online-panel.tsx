import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { GuestBadge } from "./guest-badge.tsx";

const WIDE = "(min-width: 48rem)";

/** Who is in the room now, with a count; open by default on wide screens, a collapsible strip on phones. */
export function OnlinePanel(props: { online: UserRef[]; me: UserRef }) {
  const [open, setOpen] = useState(() => window.matchMedia(WIDE).matches);
  const seen = new Set<string>();
  const people = props.online.filter((user) => !seen.has(user.id) && seen.add(user.id));
  return (
    <aside class="online-panel" aria-label="Online">
      <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary class="online-summary">Online ({people.length})</summary>
        <ul class="online-list">
          {people.map((user) => (
            <li key={user.id} class={user.id === props.me.id ? "is-me" : undefined}>
              <span class="online-dot" aria-hidden="true" />
              {user.name}
              {user.id === props.me.id && <span class="muted"> (you)</span>}
              {user.guest && <GuestBadge />}
            </li>
          ))}
        </ul>
      </details>
    </aside>
  );
}
