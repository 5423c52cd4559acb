import { useEffect, useRef, useState } from "preact/hooks";
import type { ConnectionState } from "../lib/socket.ts";
import "../styles/connection-banner.css";

/** A drop shorter than this is not worth a bar (a blip, a redeploy's quick reconnect). */
const DOWN_GRACE_MS = 1_000;
/** How long "Back online" stays after the bar had said the connection was down. */
const BACK_ONLINE_MS = 2_500;

type Shown = "" | "Connecting…" | "Reconnecting…" | "Back online";

/**
 * The room socket's state, only when it matters: "Reconnecting…" once it has been down for
 * over a second ("Connecting…" if it never got up), then "Back online" briefly. Always
 * rendered, empty when there is nothing to say, so changes are announced (role="status").
 */
export function ConnectionBanner(props: { state: ConnectionState; ended: boolean }) {
  const [shown, setShown] = useState<Shown>("");
  const wasOpen = useRef(false);
  const saidDown = useRef(false);
  const { state, ended } = props;

  useEffect(() => {
    if (ended) {
      // The room says why it ended; "Reconnecting…" would be untrue.
      saidDown.current = false;
      setShown("");
      return;
    }
    if (state === "open") {
      wasOpen.current = true;
      if (!saidDown.current) {
        setShown("");
        return;
      }
      saidDown.current = false;
      setShown("Back online");
      const timer = setTimeout(() => setShown(""), BACK_ONLINE_MS);
      return () => clearTimeout(timer);
    }
    const sayDown = () => {
      saidDown.current = true;
      setShown(wasOpen.current ? "Reconnecting…" : "Connecting…");
    };
    if (saidDown.current) {
      sayDown();
      return;
    }
    const timer = setTimeout(sayDown, DOWN_GRACE_MS);
    return () => clearTimeout(timer);
  }, [state, ended]);

  const kind = shown === "Back online" ? " is-back" : shown ? " is-down" : "";
  return (
    // The slot takes no height: the bar lies over the conversation, so nothing moves when it
    // comes and goes. data-connection: the socket's state as it is, for tests (the text lags
    // it on purpose).
    <div class="connection-slot">
      <div class={`connection-banner${kind}`} role="status" aria-label="Connection" data-connection={state}>
        {shown}
      </div>
    </div>
  );
}
