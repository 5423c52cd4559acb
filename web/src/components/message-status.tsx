import { useState } from "preact/hooks";
import type { Receipt } from "../../../worker/protocol/room-protocol.ts";
import type { PendingMessage } from "../lib/messages.ts";
import { readersOf, tickLabel, tickStatus } from "../lib/receipts.ts";

/** A send of mine the room has not confirmed: waiting, sending, or refused (Retry / Discard). */
export function PendingStatus(props: {
  pending: PendingMessage;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const { status } = props.pending;
  if (status === "failed") {
    return (
      <span class="message-status is-failed">
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
        <span class="tick" aria-hidden="true">
          ✓
        </span>
        Sent
      </span>
    );
  }
  return (
    <span class="message-status is-pending">
      <span class="tick" aria-hidden="true">
        🕓
      </span>
      {status === "waiting" ? "Waiting for connection" : "Sending…"}
    </span>
  );
}

export function Ticks(props: { seq: number; receipts: Receipt[]; meId: string; groupRoom: boolean }) {
  const status = tickStatus(props.seq, props.receipts, props.meId);
  const readers = status === "read" ? readersOf(props.seq, props.receipts, props.meId) : [];
  return (
    <span class={`message-status tick-${status}`}>
      <span class="tick" aria-hidden="true">
        {status === "sent" ? "✓" : "✓✓"}
      </span>
      {props.groupRoom && status === "read" ? (
        <ReadBy readers={readers} />
      ) : (
        tickLabel(status, readers.length, props.groupRoom)
      )}
    </span>
  );
}

let readByIds = 0;

/** "Read by N": the names on hover (title) and on tap or Enter (a small list). */
function ReadBy(props: { readers: Receipt[] }) {
  const [open, setOpen] = useState(false);
  const [id] = useState(() => `read-by-${++readByIds}`);
  const names = props.readers.map((r) => r.name);
  return (
    <span class="read-by">
      <button
        type="button"
        class="button-link read-by-button"
        title={names.join(", ")}
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen(!open)}
      >
        {tickLabel("read", names.length, true)}
      </button>
      {open && (
        <ul class="read-by-list" id={id} aria-label="Read by">
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      )}
    </span>
  );
}
