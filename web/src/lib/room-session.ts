// One open room: its socket, its messages and this user's unconfirmed sends, as a
// snapshot that the chat view renders. The gapless opening sequence is: connect, `hello`
// without lastSeq, `ready {seq: N}`, then history `?before=N+1`; live frames that arrive
// meanwhile are merged by seq, so nothing is missed or shown twice.
import {
  type ChatMessage,
  LIMITS,
  normaliseBody,
  type UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import { api } from "./api.ts";
import { mergeMessages, type PendingMessage } from "./messages.ts";
import { type ConnectionState, RoomSocket } from "./socket.ts";

export interface RoomSnapshot {
  /** Confirmed messages, ascending by seq. */
  messages: ChatMessage[];
  /** This user's sends that the room has not echoed yet. */
  pending: PendingMessage[];
  online: UserRef[];
  connection: ConnectionState;
  /** False until the first history page has arrived. */
  historyLoaded: boolean;
  /** Whether messages older than the first one held may exist. */
  hasOlder: boolean;
  loadingOlder: boolean;
  /** A problem worth telling the user about, e.g. history failing to load. */
  notice: string | null;
  /** Set when the server ended the socket for good. */
  terminated: { code: number; reason: string } | null;
}

const PAGE_SIZE = LIMITS.defaultPageSize;
/** How far back a resync pages before it gives up bridging the gap and starts afresh. */
const RESYNC_MAX_PAGES = 5;
const HISTORY_RETRY_MS = 2_000;

export class RoomSession {
  readonly #roomId: string;
  readonly #me: UserRef;
  readonly #socket: RoomSocket;
  readonly #listeners = new Set<(snapshot: RoomSnapshot) => void>();
  #snapshot: RoomSnapshot = {
    messages: [],
    pending: [],
    online: [],
    connection: "closed",
    historyLoaded: false,
    hasOlder: false,
    loadingOlder: false,
    notice: null,
    terminated: null,
  };
  #historyRetry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(roomId: string, me: UserRef) {
    this.#roomId = roomId;
    this.#me = me;
    this.#socket = new RoomSocket(roomId, {
      onReady: (frame, resumed) => {
        this.#update({ online: frame.online });
        if (!resumed) void this.#loadLatest(frame.seq);
      },
      onMessage: (message) => this.#receive([message]),
      onAck: (ack) => {
        // The room echoes the message before acking it, so the entry is usually gone by
        // now; if not, it is durable and only waits for the echo.
        if (this.#holds(ack.seq)) return;
        this.#update({
          pending: this.#snapshot.pending.map(
            (p): PendingMessage =>
              p.clientId === ack.clientId
                ? {
                    clientId: p.clientId,
                    author: p.author,
                    body: p.body,
                    createdAt: ack.createdAt,
                    status: "sent",
                  }
                : p,
          ),
        });
      },
      onPresence: (online) => this.#update({ online }),
      onResync: (seq) => void this.#resync(seq),
      onError: (frame) => {
        if (frame.clientId !== undefined) this.#fail(frame.clientId, frame.message);
        else this.#update({ notice: frame.message });
      },
      onState: (connection) => {
        // A send without an ack may or may not have been stored: show it as failed. If it
        // was stored, the replay after reconnecting replaces it with the real message.
        const pending =
          connection === "reconnecting"
            ? this.#snapshot.pending.map(
                (p): PendingMessage =>
                  p.status === "sending" ? { ...p, status: "failed", error: "Connection lost." } : p,
              )
            : this.#snapshot.pending;
        this.#update({ connection, pending });
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
    this.#socket.start();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#historyRetry);
    this.#socket.stop();
    this.#listeners.clear();
  }

  /** Sends a message; false when the body is empty or too long after trimming. */
  send(text: string): boolean {
    const body = normaliseBody(text);
    if (body === null) return false;
    const pending: PendingMessage = {
      clientId: crypto.randomUUID(),
      author: this.#me,
      body,
      createdAt: new Date().toISOString(),
      status: "sending",
    };
    this.#update({ pending: [...this.#snapshot.pending, pending] });
    this.#transmit(pending);
    return true;
  }

  /** Sends a failed message again with the same clientId, so the room stores it at most once. */
  retry(clientId: string): void {
    const pending = this.#snapshot.pending.find((p) => p.clientId === clientId);
    if (!pending) return;
    const again: PendingMessage = { ...pending, status: "sending" };
    delete again.error;
    this.#update({ pending: this.#snapshot.pending.map((p) => (p.clientId === clientId ? again : p)) });
    this.#transmit(again);
  }

  async loadOlder(): Promise<void> {
    const first = this.#snapshot.messages[0];
    if (!first || this.#snapshot.loadingOlder || !this.#snapshot.hasOlder) return;
    this.#update({ loadingOlder: true });
    try {
      const page = await api.messages(this.#roomId, first.seq, PAGE_SIZE);
      if (this.#stopped) return;
      this.#receive(page.reverse());
      this.#update({ hasOlder: page.length === PAGE_SIZE && (page[0]?.seq ?? 1) > 1, notice: null });
    } catch (error) {
      this.#update({ notice: `Could not load older messages: ${messageOf(error)}` });
    } finally {
      this.#update({ loadingOlder: false });
    }
  }

  #transmit(pending: PendingMessage): void {
    const sent = this.#socket.send({ type: "send", clientId: pending.clientId, body: pending.body });
    if (!sent) this.#fail(pending.clientId, "You are offline.");
  }

  #fail(clientId: string, error: string): void {
    this.#update({
      pending: this.#snapshot.pending.map((p) =>
        p.clientId === clientId ? { ...p, status: "failed", error } : p,
      ),
    });
  }

  #holds(seq: number): boolean {
    return this.#snapshot.messages.some((m) => m.seq === seq);
  }

  #receive(messages: ChatMessage[]): void {
    const mine = new Set(messages.filter((m) => m.author.id === this.#me.id).map((m) => m.clientId));
    this.#update({
      messages: mergeMessages(this.#snapshot.messages, messages),
      pending:
        mine.size === 0
          ? this.#snapshot.pending
          : this.#snapshot.pending.filter((p) => !mine.has(p.clientId)),
    });
  }

  /** The first page after a fresh `ready {seq}`: everything up to `seq`, newest first. */
  async #loadLatest(seq: number): Promise<void> {
    clearTimeout(this.#historyRetry);
    try {
      const page = await api.messages(this.#roomId, seq + 1, PAGE_SIZE);
      if (this.#stopped) return;
      this.#receive(page.reverse());
      this.#socket.markSeen(seq);
      const hasOlder = page.length === PAGE_SIZE && (page[0]?.seq ?? 1) > 1;
      this.#update({ historyLoaded: true, hasOlder, notice: null });
    } catch (error) {
      if (this.#stopped) return;
      this.#update({ notice: `Could not load messages: ${messageOf(error)} Retrying…` });
      this.#historyRetry = setTimeout(() => void this.#loadLatest(seq), HISTORY_RETRY_MS);
    }
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
      this.#update({ notice: `Could not catch up: ${messageOf(error)} Retrying…` });
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
    this.#update({ historyLoaded: true, notice: null });
  }

  #update(patch: Partial<RoomSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const listener of this.#listeners) listener(this.#snapshot);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
