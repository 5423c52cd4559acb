// One open room: the adapter around the pure room state (room-state.ts). It owns the
// socket, the timers, the history requests and the stored outbox, applies every frame and
// local event to the state, and hands each new state to the chat view.
// The gapless opening sequence is: the latest history page (usually requested while the
// app was still loading, see early.ts), shown at once; then connect with `hello {lastSeq}`
// set to its newest seq, so the room replays exactly what came after it. Should that page
// fail, it is: connect, `hello` without lastSeq, `ready {seq: N}`, then history
// `?before=N+1`. Either way live frames that arrive meanwhile are merged by seq, so nothing
// is missed or shown twice.
//
// Sends are exactly-once across drops and reloads: each message gets a clientId and sits
// in a persistent outbox until its ack (or its echo) arrives; after every `ready` the
// whole outbox is resent in order with the same clientIds, and the room stores a clientId
// only once.
import {
  type ChatMessage,
  LIMITS,
  normaliseBody,
  type ServerFrame,
  type UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import { api } from "./api.ts";
import { backoffDelay } from "./backoff.ts";
import { latestMessages } from "./early.ts";
import { type KeyValueStore, Outbox, SendPacer } from "./outbox.ts";
import { MarkSender } from "./receipts.ts";
import {
  applyRoomEvent,
  applyRoomFrame,
  initialRoomState,
  nextTypingExpiry,
  pendingOf,
  type RoomEvent,
  type RoomState,
} from "./room-state.ts";
import { RoomSocket } from "./socket.ts";
import { TypingSignal } from "./typing.ts";

const PAGE_SIZE = LIMITS.defaultPageSize;
/** How far back a resync pages before it gives up bridging the gap and starts afresh. */
const RESYNC_MAX_PAGES = 5;
const HISTORY_RETRY_MS = 2_000;
/** `delivered`/`read` frames go out at most this often. */
const MARK_THROTTLE_MS = 250;
/** Waits after `rate_limited` before the outbox is sent again (then doubling, jittered). */
const RATE_LIMIT_BACKOFF = { baseMs: 2_000, capMs: 15_000 };

function browserStorage(): KeyValueStore | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export class RoomSession {
  readonly #roomId: string;
  readonly #me: UserRef;
  readonly #socket: RoomSocket;
  readonly #outbox: Outbox;
  readonly #typingSignal = new TypingSignal();
  readonly #delivered = new MarkSender();
  readonly #read = new MarkSender();
  readonly #listeners = new Set<(state: RoomState) => void>();
  #state: RoomState;
  #historyRetry: ReturnType<typeof setTimeout> | undefined;
  /** The history request that failed last, for `retry()`. */
  #retryFailed: (() => void) | null = null;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #marksTimer: ReturnType<typeof setTimeout> | undefined;
  #marksSentAt = 0;
  /** Sends go out in order through this pacer; a rate-limit pause holds them until `#pausedUntil`. */
  #pacer = new SendPacer(Date.now());
  #pumpTimer: ReturnType<typeof setTimeout> | undefined;
  #pausedUntil = 0;
  #rateLimited = 0;
  /** clientIds sent on the current connection (everything unacked goes again after `ready`). */
  readonly #transmitted = new Set<string>();
  #stopped = false;

  constructor(roomId: string, me: UserRef, storage: KeyValueStore | null = browserStorage()) {
    this.#roomId = roomId;
    this.#me = me;
    this.#outbox = new Outbox(storage, me.id, roomId);
    this.#state = initialRoomState(roomId, me, this.#outbox.entries());
    this.#socket = new RoomSocket(roomId, {
      onFrame: (frame) => this.#applyFrame(frame),
      onReady: (frame, resumed) => {
        this.#typingSignal.cleared();
        const mine = this.#state.receipts.find((r) => r.userId === me.id);
        if (mine) {
          this.#delivered.known(mine.delivered);
          this.#read.known(mine.read);
        }
        this.#scheduleTypingExpiry();
        if (!resumed) void this.#loadLatest(frame.seq);
        if (this.#state.canWrite) this.#resendOutbox();
        this.#scheduleMarks();
      },
      onMessage: (message) => this.#received([message]),
      onAck: (ack) => {
        this.#rateLimited = 0;
        this.#outbox.remove(ack.clientId);
        this.#noteDelivered();
      },
      onTyping: () => this.#scheduleTypingExpiry(),
      onResync: (seq) => void this.#resync(seq),
      onError: (frame) => {
        if (!pendingOf(this.#state, frame.clientId) || frame.clientId === undefined) return;
        // Not stored: it (and everything after it, to keep the order) goes again a little
        // later, same clientIds; the room ignores any it already has.
        if (frame.code === "rate_limited") this.#pauseSending(frame.clientId);
        // Refused for good: out of the outbox; the state shows it as failed.
        else this.#outbox.remove(frame.clientId);
      },
      onState: (connection) => {
        if (connection !== "open") {
          clearTimeout(this.#pumpTimer);
          this.#typingSignal.cleared();
        }
        this.#dispatch({ type: "connection", state: connection });
      },
      onTerminated: (code, reason) => this.#dispatch({ type: "terminated", code, reason }),
    });
  }

  get snapshot(): RoomState {
    return this.#state;
  }

  subscribe(listener: (state: RoomState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  start(): void {
    void this.#open();
  }

  /** Shows the latest page first, then connects to hear what came after it. */
  async #open(): Promise<void> {
    try {
      const page = await latestMessages(this.#roomId);
      if (this.#stopped) return;
      this.#showLatest(page, page[0]?.seq ?? 0);
    } catch {
      // The socket's `ready` loads history instead (and reports its failures).
      if (this.#stopped) return;
    }
    this.#socket.start();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#historyRetry);
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#marksTimer);
    clearTimeout(this.#pumpTimer);
    this.#socket.stop();
    this.#listeners.clear();
  }

  /**
   * Sends a message; false when the body is empty or too long after trimming. Offline,
   * it waits in the outbox and goes out once the room answers again.
   */
  send(text: string): boolean {
    const body = normaliseBody(text);
    if (body === null) return false;
    const entry = { clientId: crypto.randomUUID(), body, createdAt: new Date().toISOString() };
    this.#outbox.add(entry);
    // The room clears this user's typing itself when the message arrives.
    this.#typingSignal.cleared();
    this.#dispatch({ type: "queued", entry, connected: this.#socket.state === "open" });
    this.#pump();
    return true;
  }

  /** Sends a message the room refused again, with the same clientId. */
  retrySend(clientId: string): void {
    const pending = this.#state.pending.find((p) => p.clientId === clientId);
    if (pending?.status !== "failed") return;
    this.#outbox.add({ clientId, body: pending.body, createdAt: pending.createdAt });
    this.#dispatch({ type: "retry", clientId });
    this.#transmitted.delete(clientId);
    this.#pump();
  }

  /** Forgets a message the room refused. */
  discard(clientId: string): void {
    this.#outbox.remove(clientId);
    this.#dispatch({ type: "discard", clientId });
  }

  /** The composer's text changed: tells the room this user is typing (throttled) or stopped. */
  typing(text: string): void {
    const active = this.#typingSignal.input(text, Date.now());
    if (active === null) return;
    // Not connected: forget it, so the next keystroke tries again.
    if (!this.#socket.send({ type: "typing", active })) this.#typingSignal.cleared();
  }

  /** The composer lost focus or was emptied. */
  stopTyping(): void {
    if (this.#typingSignal.stop() === false) this.#socket.send({ type: "typing", active: false });
  }

  /** Every message up to `seq` has been on screen while the page was visible. */
  markRead(seq: number): void {
    const upTo = Math.min(seq, this.#state.messages.at(-1)?.seq ?? 0);
    if (this.#read.want(upTo)) this.#scheduleMarks();
    this.#dispatch({ type: "read", seq: upTo });
  }

  /** Tries the failed history request again now (it also retries by itself, when it can). */
  retry(): void {
    const again = this.#retryFailed;
    this.#retryFailed = null;
    clearTimeout(this.#historyRetry);
    this.#dispatch({ type: "history_recovered" });
    again?.();
  }

  async loadOlder(): Promise<void> {
    const first = this.#state.messages[0];
    if (!first || this.#state.loadingOlder || !this.#state.hasOlder) return;
    this.#dispatch({ type: "loading_older", loading: true });
    try {
      const page = await api.messages(this.#roomId, first.seq, PAGE_SIZE);
      if (this.#stopped) return;
      const hasOlder = page.length === PAGE_SIZE && (page.at(-1)?.seq ?? 1) > 1;
      this.#received(page.reverse(), { hasOlder });
      this.#recovered();
    } catch (error) {
      this.#failed(`Could not load older messages: ${messageOf(error)}`, () => void this.loadOlder());
    } finally {
      this.#dispatch({ type: "loading_older", loading: false });
    }
  }

  #dispatch(event: RoomEvent): void {
    this.#publish(applyRoomEvent(this.#state, event));
  }

  #applyFrame(frame: ServerFrame): void {
    this.#publish(applyRoomFrame(this.#state, frame, Date.now()));
  }

  #publish(next: RoomState): void {
    if (next === this.#state) return;
    this.#state = next;
    for (const listener of this.#listeners) listener(next);
  }

  /**
   * Sends every unacked message not yet sent on this connection, oldest first, as fast as
   * the pacer allows; the rest follow from a timer.
   */
  #pump(): void {
    clearTimeout(this.#pumpTimer);
    this.#pumpTimer = undefined;
    if (this.#stopped || this.#socket.state !== "open") return;
    const inOutbox = new Set(this.#outbox.entries().map((e) => e.clientId));
    const due = this.#state.pending.filter((p) => inOutbox.has(p.clientId) && p.status !== "failed");
    this.#dispatch({ type: "transmitting", clientIds: due.map((p) => p.clientId) });
    for (const p of due) {
      if (this.#transmitted.has(p.clientId)) continue;
      const now = Date.now();
      const wait = Math.max(this.#pausedUntil - now, 0) || this.#pacer.take(now);
      if (wait > 0) {
        this.#pumpTimer = setTimeout(() => this.#pump(), wait);
        break;
      }
      if (!this.#socket.send({ type: "send", clientId: p.clientId, body: p.body })) break;
      this.#transmitted.add(p.clientId);
    }
  }

  /** After `ready`: every unacked message again, in order, with the same clientIds. */
  #resendOutbox(): void {
    const held = new Set(
      this.#state.messages.filter((m) => m.author.id === this.#me.id).map((m) => m.clientId),
    );
    const entries = this.#outbox.entries();
    this.#outbox.remove(...entries.filter((e) => held.has(e.clientId)).map((e) => e.clientId));
    // Another tab of this room may have queued messages too; the room dedups them.
    this.#dispatch({ type: "outbox", entries });
    this.#transmitted.clear();
    this.#pump();
  }

  /** The room refused `clientId` for now: it and everything after it go again after a pause. */
  #pauseSending(clientId: string): void {
    const index = this.#state.pending.findIndex((p) => p.clientId === clientId);
    for (const p of this.#state.pending.slice(Math.max(index, 0))) this.#transmitted.delete(p.clientId);
    const now = Date.now();
    if (this.#pausedUntil <= now) {
      this.#pausedUntil = now + Math.max(500, backoffDelay(this.#rateLimited, RATE_LIMIT_BACKOFF));
      this.#rateLimited += 1;
    }
    this.#pump();
  }

  /** Tells the room the newest message held has arrived. */
  #noteDelivered(): void {
    const last = this.#state.messages.at(-1)?.seq;
    if (last !== undefined && this.#delivered.want(last)) this.#scheduleMarks();
  }

  /** Sends due `delivered`/`read` marks, at most every MARK_THROTTLE_MS. */
  #scheduleMarks(): void {
    if (this.#marksTimer !== undefined || this.#stopped) return;
    const wait = Math.max(0, this.#marksSentAt + MARK_THROTTLE_MS - Date.now());
    this.#marksTimer = setTimeout(() => {
      this.#marksTimer = undefined;
      this.#flushMarks();
    }, wait);
  }

  #flushMarks(): void {
    if (this.#socket.state !== "open") return; // sent after the next `ready`
    const read = this.#read.due();
    let delivered = this.#delivered.due();
    if (delivered !== null && read !== null && read >= delivered) {
      // The room counts a read message as delivered.
      this.#delivered.confirm(delivered);
      delivered = null;
    }
    if (delivered === null && read === null) return;
    this.#marksSentAt = Date.now();
    if (delivered !== null && this.#socket.send({ type: "delivered", seq: delivered })) {
      this.#delivered.confirm(delivered);
    }
    if (read !== null && this.#socket.send({ type: "read", seq: read })) {
      this.#read.confirm(read);
      this.#delivered.known(read);
    }
  }

  /** Re-renders when the next typing indicator runs out, so none can get stuck. */
  #scheduleTypingExpiry(): void {
    clearTimeout(this.#typingTimer);
    const next = nextTypingExpiry(this.#state);
    if (next === undefined || this.#stopped) return;
    this.#typingTimer = setTimeout(
      () => {
        this.#dispatch({ type: "tick", now: Date.now() });
        this.#scheduleTypingExpiry();
      },
      Math.max(0, next - Date.now()) + 20,
    );
  }

  /**
   * Confirmed messages arrived (already applied when they came as frames): a message of
   * mine the room holds is done, whether or not its ack ever arrived.
   */
  #received(
    messages: ChatMessage[],
    page?: { hasOlder?: boolean; latest?: boolean; replace?: boolean },
  ): void {
    const mine = messages.filter((m) => m.author.id === this.#me.id).map((m) => m.clientId);
    if (mine.length > 0) this.#outbox.remove(...mine);
    if (page) this.#dispatch({ type: "history", messages, ...page });
    this.#noteDelivered();
  }

  /** The first page after a fresh `ready {seq}`: everything up to `seq`, newest first. */
  async #loadLatest(seq: number): Promise<void> {
    clearTimeout(this.#historyRetry);
    try {
      const page = await api.messages(this.#roomId, seq + 1, PAGE_SIZE);
      if (this.#stopped) return;
      this.#showLatest(page, seq);
      this.#recovered();
    } catch (error) {
      if (this.#stopped) return;
      this.#failed(
        `Could not load messages: ${messageOf(error)} Retrying…`,
        () => void this.#loadLatest(seq),
      );
      this.#historyRetry = setTimeout(() => void this.#loadLatest(seq), HISTORY_RETRY_MS);
    }
  }

  /** Shows the latest history page (newest first, as served) and records `seq` as held. */
  #showLatest(page: ChatMessage[], seq: number): void {
    const hasOlder = page.length === PAGE_SIZE && (page.at(-1)?.seq ?? 1) > 1;
    this.#received(page.reverse(), { hasOlder, latest: true });
    this.#socket.markSeen(seq);
  }

  /** Pages back from `seq` until the gap after what we hold is closed, or starts afresh. */
  async #resync(seq: number): Promise<void> {
    const held = this.#state.messages.at(-1)?.seq ?? 0;
    const fetched: ChatMessage[] = [];
    let before = seq + 1;
    let bridged = false;
    try {
      for (let i = 0; i < RESYNC_MAX_PAGES && !bridged; i++) {
        const page = await api.messages(this.#roomId, before, LIMITS.maxPageSize);
        fetched.push(...page);
        const oldest = page.at(-1)?.seq;
        bridged = oldest === undefined || oldest <= held + 1 || page.length < LIMITS.maxPageSize;
        if (oldest !== undefined) before = oldest;
      }
    } catch (error) {
      if (this.#stopped) return;
      this.#failed(`Could not catch up: ${messageOf(error)} Retrying…`, () => void this.#resync(seq));
      this.#historyRetry = setTimeout(() => void this.#resync(seq), HISTORY_RETRY_MS);
      return;
    }
    if (this.#stopped) return;
    fetched.reverse();
    // Too far behind to bridge: show the recent part and let the user page back.
    this.#received(fetched, bridged ? { latest: true } : { replace: true, hasOlder: true });
    this.#socket.markSeen(seq);
    this.#recovered();
  }

  /** A history request failed: say so, and let `retry()` run it again. */
  #failed(notice: string, retry: () => void): void {
    this.#retryFailed = retry;
    this.#dispatch({ type: "history_failed", notice });
  }

  /** A history request succeeded: a failure notice from before is over. */
  #recovered(): void {
    this.#retryFailed = null;
    this.#dispatch({ type: "history_recovered" });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
