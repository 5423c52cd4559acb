// The room socket client: one WebSocket to /api/rooms/:id/ws that resumes by itself.
// It says `hello {lastSeq}` with the highest seq it has seen, so the room replays exactly
// what was missed; it reconnects with exponential backoff and full jitter (a deploy
// closes every socket at once, and jitter keeps clients from returning in lockstep); and
// it pings every 20 s so idle connections are neither dropped by proxies nor left dead.
import {
  type ChatMessage,
  type ClientFrame,
  CloseCode,
  type Receipt,
  type ServerFrame,
  type UserRef,
} from "../../../worker/protocol/room-protocol.ts";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export type ReadyFrame = Extract<ServerFrame, { type: "ready" }>;
export type AckFrame = Extract<ServerFrame, { type: "ack" }>;
export type ErrorFrame = Extract<ServerFrame, { type: "error" }>;

export interface RoomSocketHandlers {
  /** `resumed` is true when the hello carried a `lastSeq`: missed messages follow as replay. */
  onReady?(frame: ReadyFrame, resumed: boolean): void;
  onMessage?(message: ChatMessage): void;
  onAck?(ack: AckFrame): void;
  onPresence?(online: UserRef[]): void;
  onTyping?(user: UserRef, active: boolean): void;
  onReceipt?(receipt: Receipt): void;
  /** The room cannot replay from our `lastSeq`: page history over HTTP up to `seq`. */
  onResync?(seq: number): void;
  onError?(frame: ErrorFrame): void;
  onState?(state: ConnectionState): void;
  /** The server ended the socket for good (session ended, access removed): no reconnect. */
  onTerminated?(code: number, reason: string): void;
}

const PING_INTERVAL_MS = 20_000;
/** No frame (not even a pong) for this long means the connection is dead. */
const SILENCE_LIMIT_MS = 2 * PING_INTERVAL_MS + 5_000;
const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([CloseCode.SessionEnded, CloseCode.AccessRemoved]);

const SERVER_FRAME_TYPES: ReadonlySet<string> = new Set([
  "ready",
  "message",
  "ack",
  "typing",
  "receipt",
  "presence",
  "resync",
  "error",
]);

function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || !("type" in json)) return null;
  if (typeof json.type !== "string" || !SERVER_FRAME_TYPES.has(json.type)) return null;
  // The server is ours and speaks this protocol; the type tag is what we dispatch on.
  return json as ServerFrame;
}

export function roomSocketUrl(roomId: string, base: Location = location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}/api/rooms/${encodeURIComponent(roomId)}/ws`;
}

export class RoomSocket {
  readonly #url: string;
  readonly #handlers: RoomSocketHandlers;
  readonly #backoff: BackoffOptions;
  #ws: WebSocket | null = null;
  #state: ConnectionState = "closed";
  #lastSeq: number | undefined;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #lastFrameAt = 0;
  #stopped = true;

  constructor(roomId: string, handlers: RoomSocketHandlers, backoff: BackoffOptions = DEFAULT_BACKOFF) {
    this.#url = roomSocketUrl(roomId);
    this.#handlers = handlers;
    this.#backoff = backoff;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** The highest seq this client holds; sent as `lastSeq` on the next hello. */
  get lastSeq(): number | undefined {
    return this.#lastSeq;
  }

  /** Records that every message up to `seq` is held (e.g. after loading history). */
  markSeen(seq: number): void {
    if (this.#lastSeq === undefined || seq > this.#lastSeq) this.#lastSeq = seq;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    window.addEventListener("online", this.#onBrowserOnline);
    this.#open();
  }

  stop(): void {
    this.#stopped = true;
    window.removeEventListener("online", this.#onBrowserOnline);
    clearTimeout(this.#retryTimer);
    this.#teardown(CloseCode.Normal);
    this.#setState("closed");
  }

  /** Sends a frame if the room has answered our hello; returns whether it was sent. */
  send(frame: ClientFrame): boolean {
    if (this.#state !== "open" || this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  #open(): void {
    this.#setState(this.#attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    let resumed = false;
    ws.onopen = () => {
      this.#lastFrameAt = Date.now();
      resumed = this.#lastSeq !== undefined;
      const hello: ClientFrame = resumed ? { type: "hello", lastSeq: this.#lastSeq } : { type: "hello" };
      ws.send(JSON.stringify(hello));
      this.#pingTimer = setInterval(() => this.#keepalive(), PING_INTERVAL_MS);
    };
    ws.onmessage = (event: MessageEvent) => {
      this.#lastFrameAt = Date.now();
      if (event.data === "pong") return;
      const frame = parseServerFrame(event.data);
      if (frame) this.#dispatch(frame, resumed);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.#ws !== ws) return;
      this.#teardown();
      if (TERMINAL_CLOSE_CODES.has(event.code)) {
        this.#stopped = true;
        this.#setState("closed");
        this.#handlers.onTerminated?.(event.code, event.reason);
        return;
      }
      this.#scheduleReconnect();
    };
  }

  #dispatch(frame: ServerFrame, resumed: boolean): void {
    const h = this.#handlers;
    switch (frame.type) {
      case "ready":
        // Only a room that answered counts as a successful connection for the backoff.
        this.#attempt = 0;
        this.#setState("open");
        h.onReady?.(frame, resumed);
        return;
      case "message": {
        const { type: _type, ...message } = frame;
        this.markSeen(message.seq);
        h.onMessage?.(message);
        return;
      }
      case "ack":
        h.onAck?.(frame);
        return;
      case "typing":
        h.onTyping?.(frame.user, frame.active);
        return;
      case "receipt": {
        const { type: _type, ...receipt } = frame;
        h.onReceipt?.(receipt);
        return;
      }
      case "presence":
        h.onPresence?.(frame.online);
        return;
      case "resync":
        h.onResync?.(frame.seq);
        return;
      case "error":
        h.onError?.(frame);
        return;
      default:
        frame satisfies never;
    }
  }

  #keepalive(): void {
    const ws = this.#ws;
    if (!ws) return;
    if (Date.now() - this.#lastFrameAt > SILENCE_LIMIT_MS) {
      // A silent connection may never fire `close` by itself: drop it and start again.
      this.#teardown(CloseCode.Normal);
      this.#scheduleReconnect();
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.send("ping");
  }

  #scheduleReconnect(): void {
    if (this.#stopped) return;
    this.#setState("reconnecting");
    const delay = backoffDelay(this.#attempt, this.#backoff);
    this.#attempt += 1;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), delay);
  }

  /** Detaches and (optionally) closes the current socket. */
  #teardown(closeCode?: number): void {
    clearInterval(this.#pingTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    if (closeCode !== undefined && ws.readyState < WebSocket.CLOSING) ws.close(closeCode);
  }

  readonly #onBrowserOnline = (): void => {
    // Back online: skip the rest of the backoff wait.
    if (this.#stopped || this.#state !== "reconnecting" || this.#ws) return;
    clearTimeout(this.#retryTimer);
    this.#open();
  };

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#handlers.onState?.(state);
  }
}
