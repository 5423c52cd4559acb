import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ChatMessage, Receipt, UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { PendingMessage } from "../lib/messages.ts";
import { readersOf, tickLabel, tickStatus } from "../lib/receipts.ts";
import { GuestBadge } from "./guest-badge.tsx";

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
const READ_THRESHOLDS = [0, 0.25, 0.5, 0.75, 1];

interface Props {
  me: UserRef;
  messages: ChatMessage[];
  pending: PendingMessage[];
  receipts: Receipt[];
  /** More than two members: "Read by N" with names instead of a plain "Read". */
  groupRoom: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** The message with this seq (and so every earlier one) has been seen on a visible page. */
  onRead: (seq: number) => void;
}

/** Whether enough of a message is on screen to count as seen. */
function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  if (entry.intersectionRatio >= 0.5) return true;
  // A message taller than the view counts once it fills half of it.
  const view = entry.rootBounds?.height ?? 0;
  return view > 0 && entry.intersectionRect.height >= view / 2;
}

export function MessageList(props: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const wasAtBottom = useRef(true);
  const heightBefore = useRef(0);
  const observer = useRef<IntersectionObserver | null>(null);
  const onRead = useRef(props.onRead);
  onRead.current = props.onRead;
  const firstSeq = props.messages[0]?.seq;
  const lastKey = props.pending.at(-1)?.clientId ?? props.messages.at(-1)?.seq;

  // Read receipts: a message counts as read once it is in view while the page is visible.
  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const inView = new Set<number>();
    const report = () => {
      if (document.visibilityState !== "visible" || inView.size === 0) return;
      onRead.current(Math.max(...inView));
    };
    const watcher = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const seq = Number((entry.target as HTMLElement).dataset.seq);
          if (!Number.isInteger(seq)) continue;
          if (isSeen(entry)) inView.add(seq);
          else inView.delete(seq);
        }
        report();
      },
      { root, threshold: READ_THRESHOLDS },
    );
    observer.current = watcher;
    document.addEventListener("visibilitychange", report);
    window.addEventListener("focus", report);
    return () => {
      watcher.disconnect();
      observer.current = null;
      document.removeEventListener("visibilitychange", report);
      window.removeEventListener("focus", report);
    };
  }, []);

  // Observing an element twice is a no-op, so every render just observes them all.
  useEffect(() => {
    const watcher = observer.current;
    const root = scroller.current;
    if (!watcher || !root) return;
    for (const item of root.querySelectorAll("li[data-seq]")) watcher.observe(item);
  }, [props.messages]);

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
      {/* additions only: ticks changing on old messages are not announced. */}
      <ol
        class="message-list"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label="Chat history"
      >
        {props.messages.map((message) => {
          const mine = message.author.id === props.me.id;
          return (
            <MessageItem
              key={`m${message.seq}`}
              seq={message.seq}
              author={message.author.name}
              guest={message.author.guest}
              createdAt={message.createdAt}
              body={message.body}
              mine={mine}
            >
              {mine && (
                <Ticks
                  seq={message.seq}
                  receipts={props.receipts}
                  meId={props.me.id}
                  groupRoom={props.groupRoom}
                />
              )}
            </MessageItem>
          );
        })}
        {props.pending.map((pending) => (
          <MessageItem
            key={`p${pending.clientId}`}
            author={pending.author.name}
            guest={pending.author.guest}
            createdAt={pending.createdAt}
            body={pending.body}
            mine
            status={pending.status}
          >
            <PendingStatus status={pending.status} />
          </MessageItem>
        ))}
      </ol>
      {empty && <p class="empty-note">No messages yet. Say hello!</p>}
    </div>
  );
}

interface ItemProps {
  seq?: number;
  author: string;
  guest?: boolean | undefined;
  createdAt: string;
  body: string;
  mine: boolean;
  status?: PendingMessage["status"];
  children?: ComponentChildren;
}

function MessageItem(props: ItemProps) {
  const time = formatTime(props.createdAt);
  const classes = ["message", props.mine ? "is-mine" : "", props.status ? `is-${props.status}` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <li class={classes} data-seq={props.seq}>
      <div class="message-meta">
        <span class="message-author">{props.author}</span>
        {props.guest && <GuestBadge />}
        <time class="message-time" dateTime={props.createdAt} title={time.full}>
          {time.short}
        </time>
        {props.children}
      </div>
      {/* Rendered as a text node: whatever the body holds is shown, never parsed as HTML. */}
      <p class="message-body">{props.body}</p>
    </li>
  );
}

function PendingStatus(props: { status: PendingMessage["status"] }) {
  if (props.status === "sent") {
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
      {props.status === "waiting" ? "Waiting for connection" : "Sending…"}
    </span>
  );
}

function Ticks(props: { seq: number; receipts: Receipt[]; meId: string; groupRoom: boolean }) {
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
