// One open room as the web app holds it: its messages, this user's unconfirmed sends, who
// is online and typing, the members' receipts, and how the socket and history stand.
// A pure reducer, as friends-state.ts is for the hub: every server frame and every local
// event (a send queued, a history page loaded, the connection dropping…) is applied in
// order by `applyRoomFrame` / `applyRoomEvent`, with the time passed in, so each effect is
// unit-tested without a browser. room-session.ts is the adapter that owns the socket,
// the timers and the storage and dispatches into it.
//
// Invariants: `messages` is ascending by seq without duplicates, however a message arrives
// (history page, replay, live frame, ack of a resend); a message of mine that the room
// holds is never also pending; receipt marks never move backwards; applying a frame twice
// (a reconnect can repeat one) changes nothing the second time.
import {
  type ChatMessage,
  type Receipt,
  type ServerFrame,
  TYPING_TTL_MS,
  type UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import type { ConnectionState } from "./connection-state.ts";
import { mergeMessages, type PendingMessage } from "./messages.ts";
import type { OutboxEntry } from "./outbox.ts";
import { mergeReceipt } from "./receipts.ts";

export interface TypingEntry {
  user: UserRef;
  /** An `active: true` lasts TYPING_TTL_MS unless refreshed, so no indicator gets stuck. */
  expiresAt: number;
}

export interface RoomState {
  roomId: string;
  me: UserRef;
  /** Confirmed messages, ascending by seq. */
  messages: ChatMessage[];
  /** This user's sends that the room has not confirmed yet, oldest first. */
  pending: PendingMessage[];
  online: UserRef[];
  /** Other people typing, in the order they started. */
  typing: TypingEntry[];
  /** Every member's delivered/read high-water marks that this client knows. */
  receipts: Receipt[];
  connection: ConnectionState;
  /** False until the first history page has arrived. */
  historyLoaded: boolean;
  /** Whether messages older than the first one held may exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** A problem worth telling the user about, e.g. history failing to load. */
  notice: string | null;
  /** The notice is a failed history request that can be tried again. */
  canRetry: boolean;
  /** This user's read mark: every message up to this seq has been seen. */
  readUpTo: number;
  /** The read mark when the room was opened (first `ready`), for the "New messages" line; null before. */
  readAtOpen: number | null;
  /** Whether this socket may send (false for visitors, and guests outside the lobby); null until `ready`. */
  canWrite: boolean | null;
  /** Set when the server ended the socket for good. */
  terminated: { code: number; reason: string } | null;
  /** The topic from the latest `room_updated` (null: cleared); undefined until one arrives. */
  topic?: string | null;
}

/** Server frames the reducer applies (`batch` is unwrapped into these, in order). */
export type RoomFrame = ServerFrame;

/** Local events: what this user did, and what the adapter's requests and socket reported. */
export type RoomEvent =
  /** A message typed and stored in the outbox; `connected` says whether it goes out now. */
  | { type: "queued"; entry: OutboxEntry; connected: boolean }
  /** These waiting messages are on their way (the socket is open). */
  | { type: "transmitting"; clientIds: string[] }
  /** The outbox as stored (another tab of this room may have queued messages too). */
  | { type: "outbox"; entries: OutboxEntry[] }
  | { type: "connection"; state: ConnectionState }
  /** A history page, ascending. `latest`: the page that opens the room. `replace`: too far behind to bridge, start afresh. */
  | { type: "history"; messages: ChatMessage[]; hasOlder?: boolean; latest?: boolean; replace?: boolean }
  | { type: "loading_older"; loading: boolean }
  | { type: "history_failed"; notice: string }
  | { type: "history_recovered" }
  /** Every message up to `seq` has been on screen while the page was visible. */
  | { type: "read"; seq: number }
  /** Time passed: typing indicators that ran out go. */
  | { type: "tick"; now: number }
  /** Try a message the room refused again (same clientId). */
  | { type: "retry"; clientId: string }
  /** Forget a message the room refused. */
  | { type: "discard"; clientId: string }
  | { type: "terminated"; code: number; reason: string };

export function initialRoomState(
  roomId: string,
  me: UserRef,
  outbox: readonly OutboxEntry[] = [],
): RoomState {
  return {
    roomId,
    me,
    messages: [],
    // Left over from an earlier visit or a reload: sent after the room answers.
    pending: outbox.map((entry): PendingMessage => ({ ...entry, author: me, status: "waiting" })),
    online: [],
    typing: [],
    receipts: [],
    connection: "closed",
    historyLoaded: false,
    hasOlder: false,
    loadingOlder: false,
    notice: null,
    canRetry: false,
    readUpTo: 0,
    readAtOpen: null,
    canWrite: null,
    terminated: null,
  };
}

/** Other people typing at `now`. */
export function typingUsers(state: RoomState): UserRef[] {
  return state.typing.map((entry) => entry.user);
}

/** When the next typing indicator runs out, or undefined when nobody is typing. */
export function nextTypingExpiry(state: RoomState): number | undefined {
  let next: number | undefined;
  for (const { expiresAt } of state.typing) if (next === undefined || expiresAt < next) next = expiresAt;
  return next;
}

/** The pending message a frame or event names. */
export function pendingOf(state: RoomState, clientId: string | undefined): PendingMessage | undefined {
  return clientId === undefined ? undefined : state.pending.find((p) => p.clientId === clientId);
}

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Confirmed messages in; my pending copies of them out. */
function receive(state: RoomState, incoming: readonly ChatMessage[]): RoomState {
  if (incoming.length === 0) return state;
  const mine = new Set(incoming.filter((m) => m.author.id === state.me.id).map((m) => m.clientId));
  const pending = mine.size === 0 ? state.pending : state.pending.filter((p) => !mine.has(p.clientId));
  return { ...state, messages: mergeMessages(state.messages, incoming), pending };
}

function withTyping(state: RoomState, typing: TypingEntry[]): RoomState {
  return { ...state, typing };
}

function setTyping(state: RoomState, user: UserRef, active: boolean, now: number): RoomState {
  if (user.id === state.me.id) return state;
  const index = state.typing.findIndex((t) => t.user.id === user.id);
  if (!active)
    return index === -1
      ? state
      : withTyping(
          state,
          state.typing.filter((_, i) => i !== index),
        );
  const entry = { user, expiresAt: now + TYPING_TTL_MS };
  if (index === -1) return withTyping(state, [...state.typing, entry]);
  // A refresh keeps its place in the list ("Ana and Ben", not "Ben and Ana").
  return withTyping(
    state,
    state.typing.map((t, i) => (i === index ? entry : t)),
  );
}

/** Keeps typing only for people still online. */
function retainTyping(state: RoomState, online: readonly UserRef[]): RoomState {
  const ids = new Set(online.map((u) => u.id));
  const typing = state.typing.filter((t) => ids.has(t.user.id));
  return typing.length === state.typing.length ? state : withTyping(state, typing);
}

function withPending(state: RoomState, clientId: string, patch: Partial<PendingMessage>): RoomState {
  return {
    ...state,
    pending: state.pending.map((p) => (p.clientId === clientId ? { ...p, ...patch } : p)),
  };
}

function onReady(state: RoomState, frame: Extract<RoomFrame, { type: "ready" }>, now: number): RoomState {
  let receipts = state.receipts;
  // (`?? []`: tolerate a room that predates typing and receipts.)
  for (const receipt of frame.receipts ?? []) receipts = mergeReceipt(receipts, receipt);
  const mine = receipts.find((r) => r.userId === state.me.id);
  const typing = (frame.typing ?? [])
    .filter((user) => user.id !== state.me.id)
    .map((user) => ({ user, expiresAt: now + TYPING_TTL_MS }));
  return {
    ...state,
    // No list: the one held, of the version the hello named, is still right.
    online: frame.online ?? state.online,
    typing,
    receipts,
    readUpTo: Math.max(state.readUpTo, mine?.read ?? 0),
    // The room's mark, not ours: the history shown before this `ready` may already have
    // moved our own mark past what was unread when the room was opened.
    readAtOpen: state.readAtOpen ?? mine?.read ?? 0,
    // (`!== false`: a room that predates read-only sockets lets everyone write.)
    canWrite: frame.room.canWrite !== false,
  };
}

function onAck(state: RoomState, ack: Extract<RoomFrame, { type: "ack" }>): RoomState {
  const pending = pendingOf(state, ack.clientId);
  if (!pending) return state;
  const rest = { ...state, pending: state.pending.filter((p) => p !== pending) };
  // The room echoes a new message before acking it, so the entry is usually gone by now.
  // A resend of a message stored earlier gets only the ack: show the message where it
  // belongs, unless it is older than everything held (then history has it).
  const first = state.messages[0]?.seq;
  if (state.messages.some((m) => m.seq === ack.seq) || (first !== undefined && ack.seq < first)) return rest;
  const message: ChatMessage = {
    id: ack.id,
    seq: ack.seq,
    roomId: state.roomId,
    author: state.me,
    body: pending.body,
    createdAt: ack.createdAt,
    clientId: ack.clientId,
  };
  return { ...rest, messages: mergeMessages(state.messages, [message]) };
}

function onError(state: RoomState, frame: Extract<RoomFrame, { type: "error" }>): RoomState {
  const pending = pendingOf(state, frame.clientId);
  if (!pending) return frame.code === "rate_limited" ? state : { ...state, notice: frame.message };
  // Not stored, but the room will take it later: it stays queued (the adapter pauses).
  if (frame.code === "rate_limited") return state;
  // Refused for good (invalid_body, forbidden…): resending by itself cannot help, so it
  // waits for the person to retry or discard it.
  return withPending(state, pending.clientId, {
    status: "failed",
    error: `Not sent: “${shorten(pending.body)}”. ${frame.message}`,
  });
}

function onPresenceChange(
  state: RoomState,
  frame: Extract<RoomFrame, { type: "presence_change" }>,
): RoomState {
  const left = new Set(frame.left);
  const joined = new Map(frame.joined.map((u) => [u.id, u]));
  const online = [
    ...state.online.filter((u) => !left.has(u.id) && !joined.has(u.id)),
    ...frame.joined.filter((u) => !left.has(u.id)),
  ];
  return retainTyping({ ...state, online }, online);
}

export function applyRoomFrame(state: RoomState, frame: RoomFrame, now: number): RoomState {
  switch (frame.type) {
    case "ready":
      return onReady(state, frame, now);
    case "message": {
      const { type: _type, ...message } = frame;
      return receive(setTyping(state, message.author, false, now), [message]);
    }
    case "ack":
      return onAck(state, frame);
    case "typing":
      return setTyping(state, frame.user, frame.active, now);
    case "receipt": {
      const { type: _type, ...receipt } = frame;
      const receipts = mergeReceipt(state.receipts, receipt);
      return receipts === state.receipts ? state : { ...state, receipts };
    }
    case "presence":
      return retainTyping({ ...state, online: frame.online }, frame.online);
    case "presence_change":
      return onPresenceChange(state, frame);
    case "resync":
      // The adapter pages history over HTTP and applies it as `history` events.
      return state;
    case "error":
      return onError(state, frame);
    case "room_updated":
      return state.topic === frame.topic ? state : { ...state, topic: frame.topic };
    case "batch":
      return frame.frames.reduce((next, inner) => applyRoomFrame(next, inner, now), state);
    default:
      return frame satisfies never;
  }
}

function onHistory(state: RoomState, event: Extract<RoomEvent, { type: "history" }>): RoomState {
  const base = event.replace ? { ...state, messages: [] } : state;
  const next = receive(base, event.messages);
  return {
    ...next,
    ...(event.hasOlder === undefined ? {} : { hasOlder: event.hasOlder }),
    ...(event.latest || event.replace ? { historyLoaded: true } : {}),
  };
}

/** Adds what the stored outbox holds and the screen does not (unless the room has it already). */
function onOutbox(state: RoomState, entries: readonly OutboxEntry[]): RoomState {
  const held = new Set(state.messages.filter((m) => m.author.id === state.me.id).map((m) => m.clientId));
  const shown = new Set(state.pending.map((p) => p.clientId));
  const added = entries
    .filter((e) => !shown.has(e.clientId) && !held.has(e.clientId))
    .map((e): PendingMessage => ({ ...e, author: state.me, status: "waiting" }));
  return added.length === 0 ? state : { ...state, pending: [...state.pending, ...added] };
}

export function applyRoomEvent(state: RoomState, event: RoomEvent): RoomState {
  switch (event.type) {
    case "queued":
      if (pendingOf(state, event.entry.clientId)) return state;
      return {
        ...state,
        pending: [
          ...state.pending,
          { ...event.entry, author: state.me, status: event.connected ? "sending" : "waiting" },
        ],
      };
    case "transmitting": {
      const ids = new Set(event.clientIds);
      if (!state.pending.some((p) => ids.has(p.clientId) && p.status === "waiting")) return state;
      return {
        ...state,
        pending: state.pending.map(
          (p): PendingMessage =>
            ids.has(p.clientId) && p.status === "waiting" ? { ...p, status: "sending" } : p,
        ),
      };
    }
    case "outbox":
      return onOutbox(state, event.entries);
    case "connection":
      if (event.state === "open") return { ...state, connection: "open" };
      // Unacked sends wait for the next `ready`; typing is stale until then.
      return {
        ...state,
        connection: event.state,
        typing: [],
        pending: state.pending.map(
          (p): PendingMessage => (p.status === "sending" ? { ...p, status: "waiting" } : p),
        ),
      };
    case "history":
      return onHistory(state, event);
    case "loading_older":
      return { ...state, loadingOlder: event.loading };
    case "history_failed":
      return { ...state, notice: event.notice, canRetry: true };
    case "history_recovered":
      return state.notice === null && !state.canRetry ? state : { ...state, notice: null, canRetry: false };
    case "read": {
      const upTo = Math.min(event.seq, state.messages.at(-1)?.seq ?? 0);
      return upTo > state.readUpTo ? { ...state, readUpTo: upTo } : state;
    }
    case "tick": {
      const typing = state.typing.filter((t) => t.expiresAt > event.now);
      return typing.length === state.typing.length ? state : withTyping(state, typing);
    }
    case "retry": {
      const pending = pendingOf(state, event.clientId);
      if (pending?.status !== "failed") return state;
      const { error: _error, ...rest } = pending;
      return {
        ...state,
        pending: state.pending.map((p) => (p === pending ? { ...rest, status: "waiting" } : p)),
      };
    }
    case "discard":
      return { ...state, pending: state.pending.filter((p) => p.clientId !== event.clientId) };
    case "terminated":
      return { ...state, terminated: { code: event.code, reason: event.reason } };
    default:
      return event satisfies never;
  }
}
