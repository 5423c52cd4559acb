import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import type { ChatMessage, Receipt, UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { PendingMessage } from "../lib/messages.ts";
import { readersOf, tickLabel, tickStatus } from "../lib/receipts.ts";
import { buildTimeline, type TimelineItem } from "../lib/timeline.ts";
import { GuestBadge } from "./guest-badge.tsx";
import { Skeleton } from "./load-state.tsx";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

/** The time of day (the day divider above says which day), and the full date for a tooltip. */
function formatTime(iso: string): { short: string; full: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: "", full: "" };
  return { short: timeFormat.format(date), full: fullFormat.format(date) };
}

/** Pixels from the bottom within which the list keeps following new messages. */
const STICK_THRESHOLD = 80;
/** Pixels from the top within which older history starts loading. */
const LOAD_OLDER_MARGIN = 400;
const READ_THRESHOLDS = [0, 0.25, 0.5, 0.75, 1];

interface Props {
  me: UserRef;
  messages: ChatMessage[];
  pending: PendingMessage[];
  receipts: Receipt[];
  /** More than two members: "Read by N" with names instead of a plain "Read". */
  groupRoom: boolean;
  historyLoaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** The read mark when the room was opened: the "New messages" line goes after it. */
  readAtOpen: number | null;
  /** Messages from others after this user's read mark. */
  unseen: number;
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

function isAtBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
}

/** A message on screen and how far below the scroller's top it is: kept in place when history is prepended. */
interface ScrollAnchor {
  key: string;
  offset: number;
}

function topVisibleItem(scroller: HTMLElement): ScrollAnchor | null {
  const top = scroller.getBoundingClientRect().top;
  for (const item of scroller.querySelectorAll<HTMLElement>("li[data-key]")) {
    const box = item.getBoundingClientRect();
    if (box.bottom > top) return { key: item.dataset.key ?? "", offset: box.top - top };
  }
  return null;
}

type Item = TimelineItem & { message?: ChatMessage; pending?: PendingMessage };

export function MessageList(props: Props) {
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const anchor = useRef<ScrollAnchor | null>(null);
  const positioned = useRef(false);
  const observer = useRef<IntersectionObserver | null>(null);
  const onRead = useRef(props.onRead);
  onRead.current = props.onRead;
  const lastSeq = props.messages.at(-1)?.seq;
  const firstSeq = props.messages[0]?.seq;
  const lastKey = props.pending.at(-1)?.clientId ?? lastSeq;

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

  const { hasOlder, loadingOlder, onLoadOlder } = props;
  const loadOlder = useCallback(() => {
    const el = scroller.current;
    if (!el || !hasOlder || loadingOlder) return;
    anchor.current = topVisibleItem(el);
    onLoadOlder();
  }, [hasOlder, loadingOlder, onLoadOlder]);

  /** At the end: new messages are followed, and the newest is read if the page is visible. Else: the jump button. */
  const notePosition = (el: HTMLElement) => {
    atBottom.current = isAtBottom(el);
    setShowJump(!atBottom.current);
    if (atBottom.current && lastSeq !== undefined && document.visibilityState === "visible") {
      onRead.current(lastSeq);
    }
  };

  /** Where the reader is: following the end, or reading back (then older history loads near the top). */
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    notePosition(el);
    if (!positioned.current) return;
    if (loadingOlder) anchor.current = topVisibleItem(el);
    else if (el.scrollTop < LOAD_OLDER_MARGIN) loadOlder();
  };

  // Older messages were prepended: put the anchored message back where the reader saw it.
  useLayoutEffect(() => {
    const el = scroller.current;
    const held = anchor.current;
    if (!el || !held || loadingOlder) return;
    anchor.current = null;
    const item = el.querySelector<HTMLElement>(`li[data-key="${CSS.escape(held.key)}"]`);
    if (!item) return;
    const offset = item.getBoundingClientRect().top - el.getBoundingClientRect().top;
    el.scrollTop += offset - held.offset;
  }, [firstSeq, loadingOlder]);

  // A short page left the top in view: keep loading until the view is filled or history ends.
  useEffect(() => {
    const el = scroller.current;
    if (el && positioned.current && !loadingOlder && el.scrollTop < LOAD_OLDER_MARGIN) loadOlder();
  }, [loadingOlder, loadOlder]);

  // New messages at the end: follow them if the reader was at the bottom or sent one.
  // The first history page opens at the "New messages" line, or else at the end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !props.historyLoaded) return;
    if (!positioned.current) {
      positioned.current = true;
      const unreadLine = el.querySelector<HTMLElement>(".divider-unread");
      if (unreadLine) {
        el.scrollTop += unreadLine.getBoundingClientRect().top - el.getBoundingClientRect().top - 8;
        notePosition(el);
        return;
      }
      atBottom.current = true;
    }
    const mineLast = props.pending.length > 0;
    if (atBottom.current || mineLast) el.scrollTop = el.scrollHeight;
    notePosition(el);
  }, [lastKey, props.historyLoaded]);

  const jumpToLatest = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    notePosition(el);
  };

  const items = useMemo(
    (): Item[] => [
      ...props.messages.map((message) => ({
        key: `m${message.seq}`,
        seq: message.seq,
        authorId: message.author.id,
        createdAt: message.createdAt,
        message,
      })),
      ...props.pending.map((pending) => ({
        key: `p${pending.clientId}`,
        authorId: pending.author.id,
        createdAt: pending.createdAt,
        pending,
      })),
    ],
    [props.messages, props.pending],
  );
  const timeline = useMemo(
    () => buildTimeline(items, { meId: props.me.id, readAtOpen: props.readAtOpen, now: new Date() }),
    [items, props.me.id, props.readAtOpen],
  );

  const empty = props.messages.length === 0 && props.pending.length === 0;
  return (
    <div class="message-area">
      <div class="message-scroller" ref={scroller} onScroll={onScroll}>
        {!props.historyLoaded && <Skeleton label="Loading messages…" rows={5} />}
        {props.hasOlder && (
          <div class="load-older">
            <button type="button" class="button-quiet" onClick={loadOlder} disabled={props.loadingOlder}>
              {props.loadingOlder ? "Loading…" : "Load older messages"}
            </button>
          </div>
        )}
        {/* Not live itself (a log is polite by default): history pages would be read out.
            New messages from others are announced by <IncomingAnnouncer> instead. The log
            wraps the list rather than being it: a role on <ol> would unmake the list its
            items belong to. */}
        <div role="log" aria-live="off" aria-label="Chat history">
          <ol class="message-list">
            {timeline.map((entry) => {
              if (entry.kind === "day") return <Divider key={entry.key} label={entry.label} />;
              if (entry.kind === "unread") return <Divider key={entry.key} label="New messages" unread />;
              return (
                <TimelineMessage
                  key={entry.key}
                  item={entry.item}
                  startsGroup={entry.startsGroup}
                  me={props.me}
                  receipts={props.receipts}
                  groupRoom={props.groupRoom}
                />
              );
            })}
          </ol>
        </div>
        {empty && props.historyLoaded && <p class="empty-note">No messages yet. Say hello!</p>}
      </div>
      {showJump && (
        <button type="button" class="jump-latest" onClick={jumpToLatest}>
          <span aria-hidden="true">↓</span> Jump to latest
          {props.unseen > 0 && <span class="jump-count"> ({props.unseen} new)</span>}
        </button>
      )}
      <IncomingAnnouncer messages={props.messages} meId={props.me.id} ready={props.historyLoaded} />
    </div>
  );
}

function Divider(props: { label: string; unread?: boolean }) {
  return (
    <li class={props.unread ? "divider divider-unread" : "divider"}>
      {/* Headings, so a screen reader can jump between days and to the new messages. */}
      <h2 class="divider-label">{props.label}</h2>
    </li>
  );
}

function TimelineMessage(props: {
  item: Item;
  startsGroup: boolean;
  me: UserRef;
  receipts: Receipt[];
  groupRoom: boolean;
}) {
  const { message, pending } = props.item;
  if (pending) {
    return (
      <MessageItem
        itemKey={props.item.key}
        author={pending.author.name}
        guest={pending.author.guest}
        createdAt={pending.createdAt}
        body={pending.body}
        mine
        status={pending.status}
        startsGroup={props.startsGroup}
      >
        <PendingStatus status={pending.status} />
      </MessageItem>
    );
  }
  if (!message) return null;
  const mine = message.author.id === props.me.id;
  return (
    <MessageItem
      itemKey={props.item.key}
      seq={message.seq}
      author={message.author.name}
      guest={message.author.guest}
      createdAt={message.createdAt}
      body={message.body}
      mine={mine}
      startsGroup={props.startsGroup}
    >
      {mine && (
        <Ticks seq={message.seq} receipts={props.receipts} meId={props.me.id} groupRoom={props.groupRoom} />
      )}
    </MessageItem>
  );
}

/**
 * Says new messages from others once, politely: the log itself is not live, so neither
 * history pages nor receipt ticks are read out.
 */
function IncomingAnnouncer(props: { messages: ChatMessage[]; meId: string; ready: boolean }) {
  const [text, setText] = useState("");
  const announcedUpTo = useRef<number | null>(null);
  const lastSeq = props.messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (!props.ready) return;
    const from = announcedUpTo.current;
    announcedUpTo.current = Math.max(from ?? 0, lastSeq);
    // The first history page is what was there already, not news.
    if (from === null) return;
    const incoming = props.messages.filter((m) => m.seq > from && m.author.id !== props.meId);
    const latest = incoming.at(-1);
    if (!latest) return;
    const prefix = incoming.length > 1 ? `${incoming.length} new messages. ` : "";
    setText(`${prefix}${latest.author.name}: ${latest.body}`);
  }, [props.ready, lastSeq, props.messages, props.meId]);
  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}

interface ItemProps {
  itemKey: string;
  seq?: number;
  author: string;
  guest?: boolean | undefined;
  createdAt: string;
  body: string;
  mine: boolean;
  status?: PendingMessage["status"];
  /** Shows author and time; later messages of the group keep them for screen readers only. */
  startsGroup: boolean;
  children?: ComponentChildren;
}

function MessageItem(props: ItemProps) {
  const time = formatTime(props.createdAt);
  const classes = [
    "message",
    props.mine ? "is-mine" : "",
    props.status ? `is-${props.status}` : "",
    props.startsGroup ? "" : "is-continued",
  ]
    .filter(Boolean)
    .join(" ");
  const hideForGroup = props.startsGroup ? undefined : "visually-hidden";
  return (
    <li class={classes} data-seq={props.seq} data-key={props.itemKey}>
      <div class="message-meta">
        <span class={hideForGroup}>
          <span class="message-author">{props.author}</span>
          {props.guest && <GuestBadge />}
        </span>
        <time class={hideForGroup ?? "message-time"} dateTime={props.createdAt} title={time.full}>
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
