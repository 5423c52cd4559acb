// A WebSocket to the API that stays up by itself, shared by the room and hub clients:
// it says hello on every open; it reconnects with exponential backoff and full jitter (a
// deploy closes every socket at once, and jitter keeps clients from returning in
// lockstep); it pings every 20 s so idle connections are neither dropped by proxies nor
// left dead; and it stops for good when the server ends the session or the access.
import { CloseCode } from "../../../worker/protocol/room-protocol.ts";
import { type BackoffOptions, backoffDelay, DEFAULT_BACKOFF } from "./backoff.ts";
import type { ConnectionState } from "./connection-state.ts";

export type { ConnectionState };

export interface LiveSocketOptions<Frame extends { type: string }> {
  /** Path under the current origin, e.g. `/api/me/ws`. */
  path: string;
  /** The server frame types this client understands; others are ignored. */
  frameTypes: ReadonlySet<string>;
  /** The frame sent first on every connection. */
  hello(): unknown;
  /** Whether `frame` answers the hello: only then does a connection count as open. */
  isReady(frame: Frame): boolean;
  onFrame(frame: Frame): void;
  onState?(state: ConnectionState): void;
  /** The server ended the socket for good (session ended, access removed): no reconnect. */
  onTerminated?(code: number, reason: string): void;
  backoff?: BackoffOptions;
}

const PING_INTERVAL_MS = 20_000;
/** No frame (not even a pong) for this long means the connection is dead. */
const SILENCE_LIMIT_MS = 2 * PING_INTERVAL_MS + 5_000;
/**
 * Codes after which reconnecting is wrong. 4009: this was the account's oldest socket past
 * a cap; reconnecting would close another of the person's tabs, and that one this one.
 */
const TERMINAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.SessionEnded,
  CloseCode.AccessRemoved,
  CloseCode.TooManyConnections,
]);

export function socketUrl(path: string, base: Location = location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}${path}`;
}

/** The server is ours and speaks the protocol; the type tag is what clients dispatch on. */
export function parseFrame<Frame>(data: unknown, frameTypes: ReadonlySet<string>): Frame | null {
  if (typeof data !== "string") return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof json !== "object" || json === null || !("type" in json)) return null;
  if (typeof json.type !== "string" || !frameTypes.has(json.type)) return null;
  return json as Frame;
}

export class LiveSocket<Frame extends { type: string }> {
  readonly #options: LiveSocketOptions<Frame>;
  #ws: WebSocket | null = null;
  #state: ConnectionState = "closed";
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #lastFrameAt = 0;
  #stopped = true;

  constructor(options: LiveSocketOptions<Frame>) {
    this.#options = options;
  }

  get state(): ConnectionState {
    return this.#state;
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

  /** Sends a frame if the server has answered our hello; returns whether it was sent. */
  send(frame: unknown): boolean {
    if (this.#state !== "open" || this.#ws?.readyState !== WebSocket.OPEN) return false;
    this.#ws.send(JSON.stringify(frame));
    return true;
  }

  /** Says hello again on the open connection (e.g. to retry a refused `ready`). */
  rehello(): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(JSON.stringify(this.#options.hello()));
  }

  #open(): void {
    this.#setState(this.#attempt === 0 ? "connecting" : "reconnecting");
    const ws = new WebSocket(socketUrl(this.#options.path));
    this.#ws = ws;
    ws.onopen = () => {
      this.#lastFrameAt = Date.now();
      ws.send(JSON.stringify(this.#options.hello()));
      this.#pingTimer = setInterval(() => this.#keepalive(), PING_INTERVAL_MS);
    };
    ws.onmessage = (event: MessageEvent) => {
      this.#lastFrameAt = Date.now();
      if (event.data === "pong") return;
      const frame = parseFrame<Frame>(event.data, this.#options.frameTypes);
      if (!frame) return;
      if (this.#options.isReady(frame)) {
        // Only a server that answered counts as a successful connection for the backoff.
        this.#attempt = 0;
        this.#setState("open");
      }
      this.#options.onFrame(frame);
    };
    ws.onclose = (event: CloseEvent) => {
      if (this.#ws !== ws) return;
      this.#teardown();
      if (TERMINAL_CLOSE_CODES.has(event.code)) {
        this.#stopped = true;
        this.#setState("closed");
        this.#options.onTerminated?.(event.code, event.reason);
        return;
      }
      this.#scheduleReconnect();
    };
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
    const delay = backoffDelay(this.#attempt, this.#options.backoff ?? DEFAULT_BACKOFF);
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
    this.#options.onState?.(state);
  }
}
