import { useState } from "preact/hooks";
import type { Receipt } from "../../../worker/protocol/room-protocol.ts";
import type { PendingMessage } from "../lib/messages.ts";
import { type ReceiptMark, statusLabel } from "../lib/receipts.ts";
import { Avatar } from "./avatar.tsx";
import { StatusIcon } from "./status-icon.tsx";

/** A send of mine the room has not confirmed: waiting, sending, or refused (Retry / Discard). */
export function PendingStatus(props: {
  pending: PendingMessage;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { status } = props.pending;
  if (status === "failed") {
    return (
      <span class="message-status is-failed" role="alert">
        <StatusIcon name="alert" />
        <span>{props.pending.error ?? "Not sent."}</span>
        <button type="button" class="button-link" onClick={props.onRetry}>
          Retry
        </button>
        <button type="button" class="button-link" onClick={props.onDiscard}>
          Discard
        </button>
      </span>
    );
  }
  if (status === "sent") {
    return (
      <span class="message-status tick-sent">
        <StatusIcon name="check" />
        Sent
      </span>
    );
  }
  return (
    <span class="message-status is-pending">
      <StatusIcon name="clock" />
      {status === "waiting" ? "Waiting for connection" : "Sending…"}
    </span>
  );
}

/** A confirmed message's receipt: where it stands (Sent / Delivered / Read), or who has seen it. */
export function ReceiptStatus(props: { mark: ReceiptMark }) {
  const { mark } = props;
  if (mark.kind === "seen") return <SeenBy readers={mark.readers} />;
  return (
    <span class={`message-status tick-${mark.status}`}>
      <StatusIcon name={mark.status === "sent" ? "check" : "double-check"} />
      {statusLabel(mark.status)}
    </span>
  );
}

let seenByIds = 0;

/** "Seen by N" with the readers' faces: their names on hover (title) and on tap or Enter (a list). */
function SeenBy(props: { readers: Receipt[] }) {
  const [open, setOpen] = useState(false);
  const [id] = useState(() => `seen-by-${++seenByIds}`);
  const names = props.readers.map((r) => r.name);
  return (
    <span class="message-status tick-read seen-by">
      <button
        type="button"
        class="button-link seen-by-button"
        title={names.join(", ")}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        <StatusIcon name="double-check" />
        <span class="seen-by-faces">
          {props.readers.slice(0, 3).map((r) => (
            <Avatar key={r.userId} id={r.userId} name={r.name} size={18} />
          ))}
        </span>
        Seen by {names.length}
      </button>
      {open && (
        <ul class="seen-by-list" id={id} aria-label="Seen by">
          {props.readers.map((r) => (
            <li key={r.userId}>
              <Avatar id={r.userId} name={r.name} size={20} />
              {r.name}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
