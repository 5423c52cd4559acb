// Helpers for the Workers integration tests: real HTTP through the Worker, real
// WebSockets into the ChatRoom Durable Object, direct queries against Postgres.
import { env, exports } from "cloudflare:workers";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { inject } from "vitest";
import { configureNeonForBridge } from "../worker/db/neon-config.ts";
import type { HubServerFrame } from "../worker/protocol/hub-protocol.ts";
import type { ServerFrame } from "../worker/protocol/room-protocol.ts";
import { RoomLog } from "../worker/room/room-log.ts";

export const ORIGIN = "http://chattr.test";

let addressCounter = 0;

/**
 * A request to the Worker as the web app would send it. Each call comes from its own
 * client address (unless given) so the per-address hashing limit does not couple tests.
 */
export function api(
  path: string,
  init: RequestInit & { cookie?: string; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("Origin")) headers.set("Origin", ORIGIN);
  if (!headers.has("CF-Connecting-IP"))
    headers.set("CF-Connecting-IP", `10.0.${addressCounter >> 8}.${addressCounter++ & 255}`);
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(`${ORIGIN}${path}`, { ...init, headers, body });
}

export function uniqueName(prefix = "user"): string {
  return `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`.slice(0, 32);
}

export interface Session {
  user: { id: string; name: string };
  cookie: string;
}

/**
 * The `name=value` part of the session cookie a response sets: `chattr_session` over
 * http, `__Host-chattr_session` over https.
 */
export function sessionCookie(response: Response): string {
  const header = response.headers.get("Set-Cookie") ?? "";
  const match = /(?:__Host-)?chattr_session=[^;]*/.exec(header);
  if (!match) throw new Error(`no session cookie in: ${header}`);
  return match[0];
}

export async function signUp(username = uniqueName(), password = "correct horse battery"): Promise<Session> {
  const response = await api("/api/auth/signup", { method: "POST", json: { username, password } });
  if (response.status !== 201) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string; name: string } };
  return { user, cookie: sessionCookie(response) };
}

/** Logs an existing account in (a new session); its cookie. */
export async function logIn(
  username: string,
  options: { password?: string; userAgent?: string } = {},
): Promise<string> {
  const response = await api("/api/auth/login", {
    method: "POST",
    json: { username, password: options.password ?? "correct horse battery" },
    ...(options.userAgent ? { headers: { "User-Agent": options.userAgent } } : {}),
  });
  if (response.status !== 200) throw new Error(`log-in failed: ${response.status} ${await response.text()}`);
  return sessionCookie(response);
}

/** A guest session (no account): reads public rooms, talks in the lobby. */
export async function guestSession(name = uniqueName("guest")): Promise<Session & { user: { guest: true } }> {
  const response = await api("/api/auth/guest", { method: "POST", json: { name } });
  if (response.status !== 201)
    throw new Error(`guest session failed: ${response.status} ${await response.text()}`);
  const { user } = (await response.json()) as { user: { id: string; name: string; guest: true } };
  return { user, cookie: sessionCookie(response) };
}

export async function createPrivateRoom(session: Session, password: string, name = uniqueName("secret")) {
  const response = await api("/api/rooms", {
    method: "POST",
    cookie: session.cookie,
    json: { name, visibility: "private", password },
  });
  if (response.status !== 201)
    throw new Error(`create room failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/** POST /api/rooms/:id/join, with the password when given. */
export function requestJoin(session: Session, roomId: string, password?: string): Promise<Response> {
  return api(`/api/rooms/${roomId}/join`, {
    method: "POST",
    cookie: session.cookie,
    json: password === undefined ? {} : { password },
  });
}

export async function createRoom(session: Session, name = uniqueName("room")): Promise<string> {
  const response = await api("/api/rooms", {
    method: "POST",
    cookie: session.cookie,
    json: { name, visibility: "public" },
  });
  if (response.status !== 201)
    throw new Error(`create room failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/** A live room socket with a queue of the frames it received. */
/** A test client for either socket protocol: records frames, waits for them, pings. */
export class SocketClient<Frame extends { type: string }> {
  readonly frames: Frame[] = [];
  /** Frames that were not JSON (the auto-response `pong`). */
  readonly raw: string[] = [];
  /** WebSocket messages that were `batch` frames; their frames are in `frames`, in order. */
  batches = 0;
  closed: { code: number; reason: string } | null = null;
  #waiters: (() => void)[] = [];

  #pinger: ReturnType<typeof setInterval> | undefined;

  /**
   * Like the web app, the client pings (here every 500 ms, as the tests shorten the
   * presence timeout to 3 s); a `silent` client never pings, as a vanished device.
   */
  constructor(
    readonly ws: WebSocket,
    options: { silent?: boolean } = {},
  ) {
    ws.accept();
    if (!options.silent) {
      this.#pinger = setInterval(() => {
        if (!this.closed) ws.send("ping");
      }, 500);
    }
    ws.addEventListener("message", (event) => {
      const text = String(event.data);
      if (!text.startsWith("{")) this.raw.push(text);
      else {
        const frame = JSON.parse(text) as Frame | { type: "batch"; frames: Frame[] };
        if (frame.type === "batch" && "frames" in frame) {
          this.batches++;
          this.frames.push(...frame.frames);
        } else this.frames.push(frame as Frame);
      }
      this.#wake();
    });
    ws.addEventListener("close", (event) => {
      if (this.#pinger !== undefined) clearInterval(this.#pinger);
      this.closed = { code: event.code, reason: event.reason };
      this.#wake();
    });
  }

  #wake() {
    for (const wake of this.#waiters.splice(0)) wake();
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits until `predicate` holds for the frames received so far. */
  async until<T>(
    predicate: (client: this) => T | undefined | false,
    what: string,
    timeoutMs = 5_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = predicate(this);
      if (result) return result;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.frames.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The next frame of `type` not yet taken, waiting for it if needed. */
  async next<K extends Frame["type"]>(type: K): Promise<Extract<Frame, { type: K }>> {
    const index = await this.until((c) => {
      const found = c.frames.findIndex((f, i) => f.type === type && !this.#taken.has(i));
      return found >= 0 ? found + 1 : undefined; // +1 so index 0 counts as found
    }, `a ${type} frame`);
    this.#taken.add(index - 1);
    return this.frames[index - 1] as Extract<Frame, { type: K }>;
  }
  #taken = new Set<number>();

  of<K extends Frame["type"]>(type: K): Extract<Frame, { type: K }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<Frame, { type: K }>[];
  }

  close(): void {
    if (this.#pinger !== undefined) clearInterval(this.#pinger);
    this.ws.close(1000, "bye");
  }
}

export const RoomClient = SocketClient<ServerFrame>;
export type RoomClient = SocketClient<ServerFrame>;
export const HubClient = SocketClient<HubServerFrame>;
export type HubClient = SocketClient<HubServerFrame>;

/**
 * Sends each body (clientIds c0, c1, … continuing from earlier acks) and waits for every
 * ack, keeping to the room's flood limit (bursts of 20, then 5 per second) like a
 * well-behaved client, and retrying a send refused with `rate_limited` (same clientId).
 */
export async function sendAll(client: RoomClient, bodies: string[]): Promise<void> {
  const before = client.of("ack").length;
  const wanted = new Map(bodies.map((body, i) => [`c${before + i}`, body]));
  let retried = client.of("error").length;
  let sent = 0;
  for (const [clientId, body] of wanted) {
    // Past the burst, keep to the room's steady rate instead of provoking refusals.
    if (sent++ >= 20) await new Promise((resolve) => setTimeout(resolve, 210));
    client.send({ type: "send", clientId, body });
  }
  await client.until(
    (c) => {
      const refused = c.of("error").slice(retried);
      retried += refused.length;
      for (const error of refused) {
        const body = error.clientId === undefined ? undefined : wanted.get(error.clientId);
        if (error.code !== "rate_limited" || body === undefined)
          throw new Error(`send refused: ${error.message}`);
        setTimeout(() => {
          if (!client.closed) client.send({ type: "send", clientId: error.clientId, body });
        }, 1_000);
      }
      return c.of("ack").length >= before + bodies.length;
    },
    `${bodies.length} acks`,
    30_000,
  );
}

export async function upgrade(
  roomId: string,
  options: { cookie?: string; origin?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", Origin: options.origin ?? ORIGIN };
  if (options.cookie) headers.Cookie = options.cookie;
  return exports.default.fetch(`${ORIGIN}/api/rooms/${roomId}/ws`, { headers });
}

/** Opens a room socket and completes the `hello` → `ready` handshake. */
export async function joinRoom(
  roomId: string,
  session: Session | null,
  lastSeq?: number,
  options: { silent?: boolean; batch?: boolean; presenceChanges?: boolean; presenceVersion?: string } = {},
): Promise<RoomClient> {
  const response = await upgrade(roomId, session ? { cookie: session.cookie } : {});
  if (!response.webSocket) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  const client = new RoomClient(response.webSocket, options);
  client.send({
    type: "hello",
    ...(lastSeq === undefined ? {} : { lastSeq }),
    ...(options.batch ? { batch: true } : {}),
    ...(options.presenceChanges ? { presenceChanges: true } : {}),
    ...(options.presenceVersion === undefined ? {} : { presenceVersion: options.presenceVersion }),
  });
  await client.next("ready");
  return client;
}

export function upgradeHub(options: { cookie?: string; origin?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = { Upgrade: "websocket", Origin: options.origin ?? ORIGIN };
  if (options.cookie) headers.Cookie = options.cookie;
  return exports.default.fetch(`${ORIGIN}/api/me/ws`, { headers });
}

/** Opens the user's hub socket (`/api/me/ws`) and waits for `ready`. */
export async function openHub(session: Session, options: { silent?: boolean } = {}): Promise<HubClient> {
  const response = await upgradeHub({ cookie: session.cookie });
  if (!response.webSocket)
    throw new Error(`hub upgrade refused: ${response.status} ${await response.text()}`);
  const client = new HubClient(response.webSocket, options);
  client.send({ type: "hello" });
  await client.next("ready");
  return client;
}

/** Sends a friend request from `from` to `to` and has `to` accept it. */
export async function befriend(from: Session, to: Session): Promise<void> {
  const asked = await api("/api/friends/requests", {
    method: "POST",
    cookie: from.cookie,
    json: { username: to.user.name },
  });
  if (asked.status !== 201) throw new Error(`friend request failed: ${asked.status} ${await asked.text()}`);
  const { request } = (await asked.json()) as { request: { id: string } };
  const accepted = await api(`/api/friends/requests/${request.id}/accept`, {
    method: "POST",
    cookie: to.cookie,
    json: {},
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${await accepted.text()}`);
}

export function roomStub(roomId: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));
}

/** A direct connection to the test database, bypassing the Worker. */
export async function query<T extends Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  configureNeonForBridge(neonConfig, inject("dbBridge"));
  const pool = new Pool({ connectionString: inject("databaseUrl"), max: 1 });
  pool.on("error", () => {});
  try {
    return (await pool.query(text, params)).rows as T[];
  } finally {
    await pool.end();
  }
}

/**
 * Puts messages 1…count (bodies `${prefix} ${seq}`) straight into Postgres, as if they had
 * been flushed long ago and trimmed from the room's hot tail.
 */
export async function insertArchivedMessages(roomId: string, author: Session, count: number, prefix: string) {
  await query(
    `insert into messages (id, room_id, seq, author_id, author_name, body, client_id, created_at)
     select gen_random_uuid(), $1, seq, $2, $3, $4 || ' ' || seq, 'archived-' || seq, now()
     from generate_series(1, $5::int) as seq`,
    [roomId, author.user.id, author.user.name, prefix, count],
  );
}

/** Makes Postgres unreachable (the bridge refuses and cuts connections) or reachable again. */
export async function setDatabaseOutage(down: boolean): Promise<void> {
  const response = await fetch(`http://${inject("dbBridge")}/outage/${down ? "start" : "end"}`, {
    method: "POST",
  });
  if (response.status !== 204) throw new Error(`bridge control failed: ${response.status}`);
}

/** How many messages a room's log holds that are not in Postgres yet (inside runInDurableObject). */
export function unflushedIn(state: DurableObjectState): number {
  return new RoomLog(state.storage.sql).unflushed(Number.MAX_SAFE_INTEGER).length;
}

/** Reads until `ok` holds or `ms` pass (then answers the last reading, for the assertion to show). */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  ms = 2_500,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
