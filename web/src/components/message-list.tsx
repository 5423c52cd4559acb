import { useLayoutEffect, useRef } from "preact/hooks";
import type { ChatMessage, UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { PendingMessage } from "../lib/messages.ts";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

function formatTime(iso: string): { short: string; full: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: "", full: "" };
  const today = new Date().toDateString() === date.toDateString();
  return { short: (today ? timeFormat : dateTimeFormat).format(date), full: fullFormat.format(date) };
}

/** Pixels from the bottom within which the list keeps following new messages. */
const STICK_THRESHOLD = 80;

interface Props {
  me: UserRef;
  messages: ChatMessage[];
  pending: PendingMessage[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (clientId: string) => void;
}

export function MessageList(props: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const wasAtBottom = useRef(true);
  const heightBefore = useRef(0);
  const firstSeq = props.messages[0]?.seq;
  const lastKey = props.pending.at(-1)?.clientId ?? props.messages.at(-1)?.seq;

  // Measured before each render commits (via the scroll handler and ref), applied after.
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    wasAtBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
    heightBefore.current = el.scrollHeight;
  };

  // Older messages were prepended: keep the view where the reader was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (!wasAtBottom.current && heightBefore.current > 0) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
    }
    heightBefore.current = el.scrollHeight;
  }, [firstSeq]);

  // New messages at the end: follow them if the reader was at the bottom or sent one.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const mineLast = props.pending.length > 0;
    if (wasAtBottom.current || mineLast) el.scrollTop = el.scrollHeight;
    heightBefore.current = el.scrollHeight;
    wasAtBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
  }, [lastKey]);

  const empty = props.messages.length === 0 && props.pending.length === 0;
  return (
    <div class="message-scroller" ref={scroller} onScroll={onScroll}>
      {props.hasOlder && (
        <div class="load-older">
          <button
            type="button"
            class="button-quiet"
            onClick={props.onLoadOlder}
            disabled={props.loadingOlder}
          >
            {props.loadingOlder ? "Loading…" : "Load older messages"}
          </button>
        </div>
      )}
      <ol class="message-list" role="log" aria-live="polite" aria-label="Chat history">
        {props.messages.map((message) => (
          <MessageItem
            key={`m${message.seq}`}
            author={message.author.name}
            createdAt={message.createdAt}
            body={message.body}
            mine={message.author.id === props.me.id}
          />
        ))}
        {props.pending.map((pending) => (
          <MessageItem
            key={`p${pending.clientId}`}
            author={pending.author.name}
            createdAt={pending.createdAt}
            body={pending.body}
            mine
            pending={pending}
            onRetry={props.onRetry}
          />
        ))}
      </ol>
      {empty && <p class="empty-note">No messages yet. Say hello!</p>}
    </div>
  );
}

interface ItemProps {
  author: string;
  createdAt: string;
  body: string;
  mine: boolean;
  pending?: PendingMessage;
  onRetry?: (clientId: string) => void;
}

function MessageItem(props: ItemProps) {
  const time = formatTime(props.createdAt);
  const status = props.pending?.status;
  const classes = ["message", props.mine ? "is-mine" : "", status ? `is-${status}` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li class={classes}>
      <div class="message-meta">
        <span class="message-author">{props.author}</span>
        <time class="message-time" dateTime={props.createdAt} title={time.full}>
          {time.short}
        </time>
        {status === "sending" && <span class="message-status">Sending…</span>}
        {status === "sent" && <span class="message-status">Sent</span>}
      </div>
      {/* Rendered as a text node: whatever the body holds is shown, never parsed as HTML. */}
      <p class="message-body">{props.body}</p>
      {status === "failed" && props.pending && (
        <p class="message-failed">
          <span>Not sent{props.pending.error ? `: ${props.pending.error}` : "."}</span>{" "}
          <button
            type="button"
            class="button-link"
            onClick={() => props.onRetry?.(props.pending?.clientId ?? "")}
          >
            Retry
          </button>
        </p>
      )}
    </li>
  );
}
