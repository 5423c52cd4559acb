import type { ConnectionState } from "../lib/socket.ts";
import "../styles/connection-banner.css";

const TEXT: Record<ConnectionState, string | null> = {
  connecting: "Connecting…",
  open: null,
  reconnecting: "Connection lost. Reconnecting…",
  closed: "Disconnected.",
};

/**
 * A quiet status line while the room socket is not connected (role="status" is polite),
 * over the top of the conversation: its slot takes no room, so nothing moves when it comes
 * and goes.
 */
export function ConnectionBanner(props: { state: ConnectionState }) {
  const text = TEXT[props.state];
  return (
    <div class="connection-slot">
      <div class="connection-banner" role="status" aria-label="Connection">
        {text}
      </div>
    </div>
  );
}
