// One open room: its socket, its messages, who is online and typing, the members'
// receipts, and this user's unconfirmed sends, as a snapshot that the chat view renders.
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
  type Receipt,
  type UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import { api } from "./api.ts";
import { backoffDelay } from "./backoff.ts";
import { latestMessages } from "./early.ts";
import { mergeMessages, type PendingMessage } from "./messages.ts";
import { type KeyValueStore, Outbox, SendPacer } from "./outbox.ts";
import { MarkSender, mergeReceipt } from "./receipts.ts";
import { type ConnectionState, RoomSocket } from "./socket.ts";
import { TypingSignal, TypingTracker } from "./typing.ts";

export interface RoomSnapshot {
  /** Confirmed messages, ascending by seq. */
  messages: ChatMessage[];
  /** This user's sends that the room has not confirmed yet, oldest first. */
  pending: PendingMessage[];
  online: UserRef[];
  /** Other people typing now. */
  typing: UserRef[];
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
  /** The notice is a failed history request that `retry()` tries again now. */
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

function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class RoomSession {
  readonly #roomId: string;
  readonly #me: UserRef;
  readonly #socket: RoomSocket;
  readonly #outbox: Outbox;
  readonly #typing: TypingTracker;
  readonly #typingSignal = new TypingSignal();
  readonly #delivered = new MarkSender();
  readonly #read = new MarkSender();
  readonly #listeners = new Set<(snapshot: RoomSnapshot) => void>();
  #snapshot: RoomSnapshot;
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
    this.#typing = new TypingTracker(me.id);
    this.#snapshot = {
      messages: [],
      // Left over from an earlier visit or a reload: sent after the room answers.
      pending: this.#outbox
        .entries()
        .map((entry): PendingMessage => ({ ...entry, author: me, status: "waiting" })),
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
    this.#socket = new RoomSocket(roomId, {
      onReady: (frame, resumed) => {
        const now = Date.now();
        // (`?? []`: tolerate a room that predates typing and receipts.)
        this.#typing.reset(frame.typing ?? [], now);
        this.#typingSignal.cleared();
        let receipts = this.#snapshot.receipts;
        for (const receipt of frame.receipts ?? []) receipts = mergeReceipt(receipts, receipt);
        const mine = receipts.find((r) => r.userId === me.id);
        if (mine) {
          this.#delivered.known(mine.delivered);
          this.#read.known(mine.read);
        }
        const readUpTo = Math.max(this.#snapshot.readUpTo, mine?.read ?? 0);
        // The room's mark, not ours: the history shown before this `ready` may already
        // have moved our own mark past what was unread when the room was opened.
        const readAtOpen = this.#snapshot.readAtOpen ?? mine?.read ?? 0;
        // (`!== false`: a room that predates read-only sockets lets everyone write.)
        const canWrite = frame.room.canWrite !== false;
        this.#update({
          online: frame.online,
          receipts,
          typing: this.#typing.users(now),
          canWrite,
          readUpTo,
          readAtOpen,
        });
        this.#scheduleTypingExpiry();
        if (!resumed) void this.#loadLatest(frame.seq);
        if (canWrite) this.#resendOutbox();
        this.#scheduleMarks();
      },
      onMessage: (message) => {
        if (this.#typing.set(message.author, false, Date.now())) this.#publishTyping();
        this.#receive([message]);
      },
      onAck: (ack) => {
        this.#rateLimited = 0;
        this.#outbox.remove(ack.clientId);
        const pending = this.#snapshot.pending.find((p) => p.clientId === ack.clientId);
        if (!pending) return;
        // The room echoes a new message before acking it, so the entry is usually gone by
        // now. A resend of a message stored earlier gets only the ack: show the message
        // where it belongs, unless it is older than everything held (then history has it).
        const rest = this.#snapshot.pending.filter((p) => p.clientId !== ack.clientId);
        const first = this.#snapshot.messages[0]?.seq;
        if (this.#holds(ack.seq) || (first !== undefined && ack.seq < first)) {
          this.#update({ pending: rest });
          return;
        }
        const message: ChatMessage = {
          id: ack.id,
          seq: ack.seq,
          roomId: this.#roomId,
          author: this.#me,
          body: pending.body,
          createdAt: ack.createdAt,
          clientId: ack.clientId,
        };
        this.#update({ pending: rest, messages: mergeMessages(this.#snapshot.messages, [message]) });
        this.#noteDelivered();
      },
      onTyping: (user, active) => {
        if (this.#typing.set(user, active, Date.now())) this.#publishTyping();
        else if (active) this.#scheduleTypingExpiry();
      },
      onReceipt: (receipt) => {
        const receipts = mergeReceipt(this.#snapshot.receipts, receipt);
        if (receipts !== this.#snapshot.receipts) this.#update({ receipts });
      },
      onPresence: (online) => {
        this.#typing.retain(new Set(online.map((u) => u.id)));
        this.#update({ online, typing: this.#typing.users(Date.now()) });
      },
      onResync: (seq) => void this.#resync(seq),
      onRoomUpdated: (topic) => this.#update({ topic }),
      onError: (frame) => {
        const pending =
          frame.clientId === undefined
            ? undefined
            : this.#snapshot.pending.find((p) => p.clientId === frame.clientId);
        if (!pending) {
          if (frame.code !== "rate_limited") this.#update({ notice: frame.message });
          return;
        }
        if (frame.code === "rate_limited") {
          // Not stored: keep it and send it (and everything after it, to keep the order)
          // again a little later, same clientIds; the room ignores any it already has.
          this.#pauseSending(pending.clientId);
          return;
        }
        // Refused for good (invalid_body, forbidden…): resending cannot help.
        this.#outbox.remove(pending.clientId);
        this.#update({
          pending: this.#snapshot.pending.filter((p) => p.clientId !== pending.clientId),
          notice: `Not sent: “${shorten(pending.body)}”. ${frame.message}`,
        });
      },
      onState: (connection) => {
        if (connection === "open") {
          this.#update({ connection });
          return;
        }
        // Unacked sends wait for the next `ready`; typing is stale until then.
        clearTimeout(this.#pumpTimer);
        this.#typing.reset([], Date.now());
        this.#typingSignal.cleared();
        this.#update({
          connection,
          typing: [],
          pending: this.#snapshot.pending.map(
            (p): PendingMessage => (p.status === "sending" ? { ...p, status: "waiting" } : p),
          ),
        });
      },
      onTerminated: (code, reason) => this.#update({ terminated: { code, reason } }),
    });
  }

  get snapshot(): RoomSnapshot {
    return this.#snapshot;
  }

  subscribe(listener: (snapshot: RoomSnapshot) => void): () => void {
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
    const pending: PendingMessage = {
      clientId: crypto.randomUUID(),
      author: this.#me,
      body,
      createdAt: new Date().toISOString(),
      status: this.#socket.state === "open" ? "sending" : "waiting",
    };
    this.#outbox.add({ clientId: pending.clientId, body, createdAt: pending.createdAt });
    // The room clears this user's typing itself when the message arrives.
    this.#typingSignal.cleared();
    this.#update({ pending: [...this.#snapshot.pending, pending] });
    this.#pump();
    return true;
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
    const upTo = Math.min(seq, this.#snapshot.messages.at(-1)?.seq ?? 0);
    if (this.#read.want(upTo)) this.#scheduleMarks();
    if (upTo > this.#snapshot.readUpTo) this.#update({ readUpTo: upTo });
  }

  /** Tries the failed history request again now (it also retries by itself, when it can). */
  retry(): void {
    const again = this.#retryFailed;
    this.#retryFailed = null;
    clearTimeout(this.#historyRetry);
    this.#update({ notice: null, canRetry: false });
    again?.();
  }

  async loadOlder(): Promise<void> {
    const first = this.#snapshot.messages[0];
    if (!first || this.#snapshot.loadingOlder || !this.#snapshot.hasOlder) return;
    this.#update({ loadingOlder: true });
    try {
      const page = await api.messages(this.#roomId, first.seq, PAGE_SIZE);
      if (this.#stopped) return;
      this.#receive(page.reverse());
      this.#update({ hasOlder: page.length === PAGE_SIZE && (page[0]?.seq ?? 1) > 1 });
      this.#recovered();
    } catch (error) {
      this.#failed(`Could not load older messages: ${messageOf(error)}`, () => void this.loadOlder());
    } finally {
      this.#update({ loadingOlder: false });
    }
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
    let changed = false;
    const pending = this.#snapshot.pending.map((p): PendingMessage => {
      if (p.status === "sent" || !inOutbox.has(p.clientId)) return p;
      if (p.status === "waiting") {
        changed = true;
        return { ...p, status: "sending" };
      }
      return p;
    });
    for (const p of pending) {
      if (p.status === "sent" || !inOutbox.has(p.clientId) || this.#transmitted.has(p.clientId)) continue;
      const now = Date.now();
      const wait = Math.max(this.#pausedUntil - now, 0) || this.#pacer.take(now);
      if (wait > 0) {
        this.#pumpTimer = setTimeout(() => this.#pump(), wait);
        break;
      }
      if (!this.#socket.send({ type: "send", clientId: p.clientId, body: p.body })) break;
      this.#transmitted.add(p.clientId);
    }
    if (changed) this.#update({ pending });
  }

  /** After `ready`: every unacked message again, in order, with the same clientIds. */
  #resendOutbox(): void {
    const held = new Set(
      this.#snapshot.messages.filter((m) => m.author.id === this.#me.id).map((m) => m.clientId),
    );
    const entries = this.#outbox.entries();
    this.#outbox.remove(...entries.filter((e) => held.has(e.clientId)).map((e) => e.clientId));
    const queued = new Map(this.#snapshot.pending.map((p) => [p.clientId, p]));
    // Another tab of this room may have queued messages too; the room dedups them.
    for (const entry of entries) {
      if (!queued.has(entry.clientId) && !held.has(entry.clientId)) {
        queued.set(entry.clientId, { ...entry, author: this.#me, status: "waiting" });
      }
    }
    this.#transmitted.clear();
    this.#update({ pending: [...queued.values()] });
    this.#pump();
  }

  /** The room refused `clientId` for now: it and everything after it go again after a pause. */
  #pauseSending(clientId: string): void {
    const index = this.#snapshot.pending.findIndex((p) => p.clientId === clientId);
    for (const p of this.#snapshot.pending.slice(Math.max(index, 0))) this.#transmitted.delete(p.clientId);
    const now = Date.now();
    if (this.#pausedUntil <= now) {
      this.#pausedUntil = now + Math.max(500, backoffDelay(this.#rateLimited, RATE_LIMIT_BACKOFF));
      this.#rateLimited += 1;
    }
    this.#pump();
  }

  /** Tells the room the newest message held has arrived. */
  #noteDelivered(): void {
    const last = this.#snapshot.messages.at(-1)?.seq;
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

  #publishTyping(): void {
    this.#update({ typing: this.#typing.users(Date.now()) });
    this.#scheduleTypingExpiry();
  }

  /** Re-renders when the next typing indicator runs out, so none can get stuck. */
  #scheduleTypingExpiry(): void {
    clearTimeout(this.#typingTimer);
    const next = this.#typing.nextExpiry();
    if (next === undefined || this.#stopped) return;
    this.#typingTimer = setTimeout(
      () => {
        this.#typing.prune(Date.now());
        this.#publishTyping();
      },
      Math.max(0, next - Date.now()) + 20,
    );
  }

  #holds(seq: number): boolean {
    return this.#snapshot.messages.some((m) => m.seq === seq);
  }

  #receive(messages: ChatMessage[]): void {
    const mine = new Set(messages.filter((m) => m.author.id === this.#me.id).map((m) => m.clientId));
    // A message of mine the room holds is done, whether or not its ack ever arrived.
    if (mine.size > 0) this.#outbox.remove(...mine);
    this.#update({
      messages: mergeMessages(this.#snapshot.messages, messages),
      pending:
        mine.size === 0
          ? this.#snapshot.pending
          : this.#snapshot.pending.filter((p) => !mine.has(p.clientId)),
    });
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
    this.#receive(page.reverse());
    this.#socket.markSeen(seq);
    this.#update({ historyLoaded: true, hasOlder });
  }

  /** Pages back from `seq` until the gap after what we hold is closed, or starts afresh. */
  async #resync(seq: number): Promise<void> {
    const held = this.#snapshot.messages.at(-1)?.seq ?? 0;
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
    if (bridged) {
      this.#receive(fetched);
    } else {
      // Too far behind to bridge: show the recent part and let the user page back.
      this.#update({ messages: [], hasOlder: true });
      this.#receive(fetched);
    }
    this.#socket.markSeen(seq);
    this.#update({ historyLoaded: true });
    this.#recovered();
  }

  /** A history request failed: say so, and let `retry()` run it again. */
  #failed(notice: string, retry: () => void): void {
    this.#retryFailed = retry;
    this.#update({ notice, canRetry: true });
  }

  /** A history request succeeded: a failure notice from before is over. */
  #recovered(): void {
    this.#retryFailed = null;
    this.#update({ notice: null, canRetry: false });
  }

  #update(patch: Partial<RoomSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
