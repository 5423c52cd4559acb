// ChatRoom: one Durable Object per room. It owns the room's log (the only writer, so
// `seq` has no gaps), holds the live sockets through the hibernation API, and flushes the
// log to Postgres from an alarm. The platform hooks are thin: each rebuilds the socket's
// state from its attachment, calls one handler, and logs failures with the room's id.
import { DurableObject } from "cloudflare:workers";
import { messages } from "../../drizzle/schema.ts";
import { withDatabase } from "../db/client.ts";
import { findRoomWithLatestSeq } from "../db/rooms.ts";
import type { Env } from "../env.ts";
import {
  type ChatMessage,
  type ClientFrame,
  CloseCode,
  normaliseBody,
  parseClientFrame,
  type ServerFrame,
  type UserRef,
} from "../protocol/room-protocol.ts";
import { flushRetryDelayMs } from "./flush-backoff.ts";
import { HOT_TAIL, type RoomInfo, RoomLog } from "./room-log.ts";

/** Headers the Worker sets when it forwards an authenticated upgrade to the room. */
export const ROOM_ID_HEADER = "x-chattr-room-id";
export const ROOM_USER_HEADER = "x-chattr-user";

/** Batch new messages for this long before writing them to Postgres. */
const FLUSH_DELAY_MS = 100;
/** Rows per INSERT statement. */
const FLUSH_BATCH = 500;

/** What survives hibernation with each socket (kept small: attachments max 16 KiB). */
interface SocketState {
  user: UserRef;
  /** True once the client said `hello` and got `ready`: only then does it get live frames. */
  joined: boolean;
}

export type RoomLookup =
  | { status: "ok"; room: RoomInfo }
  | { status: "not_found" }
  | { status: "unavailable" };

export interface HistoryTail {
  /** Newest first, below the requested `before`. */
  messages: ChatMessage[];
  /** The oldest `seq` this object still holds, or null when it holds none. */
  oldestSeq: number | null;
  /** Whether this object knows the room (has been opened at least once). */
  known: boolean;
}

export class ChatRoom extends DurableObject<Env> {
  readonly #log: RoomLog;
  /** Live sockets and their state; rebuilt from attachments after hibernation. */
  readonly #sockets = new Map<WebSocket, SocketState>();
  /** When the flush alarm is due, null when none; undefined until read after a wake-up. */
  #alarmAt: number | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#log = new RoomLog(ctx.storage.sql);
    for (const ws of ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as SocketState | null;
      if (state) this.#sockets.set(ws, state);
    }
    // Answered by the runtime without waking the object, so idle rooms can hibernate.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- platform hooks ---------------------------------------------------------------

  /** Upgrade requests, already authenticated by the Worker. */
  override async fetch(request: Request): Promise<Response> {
    const roomId = request.headers.get(ROOM_ID_HEADER);
    const userHeader = request.headers.get(ROOM_USER_HEADER);
    if (!roomId || !userHeader || request.headers.get("Upgrade") !== "websocket") {
      return new Response("expected an authenticated WebSocket upgrade", { status: 400 });
    }
    const lookup = await this.#ensureRoom(roomId);
    if (lookup.status === "not_found") return new Response("no such room", { status: 404 });
    if (lookup.status === "unavailable") return new Response("database unavailable", { status: 503 });

    const user = JSON.parse(userHeader) as UserRef;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [user.id]);
    const state: SocketState = { user, joined: false };
    server.serializeAttachment(state);
    this.#sockets.set(server, state);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const state = this.#sockets.get(ws);
    if (!state) return;
    try {
      await this.#onFrame(ws, state, raw);
    } catch (error) {
      console.error(`room ${this.#log.room?.id}: failed to handle a frame from ${state.user.id}`, error);
      ws.close(CloseCode.InternalError, "internal error");
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    // 1005 and 1006 may be received but never sent: answer those with a normal close.
    try {
      ws.close(code === 1005 || code === 1006 ? CloseCode.Normal : code, "closing");
    } catch {
      // already closed
    }
    this.#drop(ws);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.warn(`room ${this.#log.room?.id}: socket error`, error);
    this.#drop(ws);
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    await this.#flush();
  }

  // ---- RPC for the Worker -------------------------------------------------------------

  /** The newest messages below `before` that this object holds (flushed or not). */
  historyTail(before: number, limit: number): HistoryTail {
    return {
      messages: this.#log.before(before, limit),
      oldestSeq: this.#log.oldestSeq(),
      known: this.#log.room !== null,
    };
  }

  // ---- room rules ---------------------------------------------------------------------

  async #onFrame(ws: WebSocket, state: SocketState, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseClientFrame(raw);
    if (parsed.kind === "too_large") {
      ws.close(CloseCode.FrameTooLarge, "frame too large");
      return;
    }
    if (parsed.kind === "error") {
      send(ws, { type: "error", code: parsed.code, message: parsed.message });
      return;
    }
    const frame: ClientFrame = parsed.frame;
    switch (frame.type) {
      case "hello":
        this.#hello(ws, state, frame.lastSeq);
        return;
      case "send":
        await this.#send(ws, state, frame.clientId, frame.body);
        return;
      default:
        frame satisfies never;
    }
  }

  #hello(ws: WebSocket, state: SocketState, lastSeq: number | undefined): void {
    const room = this.#log.room;
    if (!room) throw new Error("hello before the room was initialised");
    const wasOnline = this.#isOnline(state.user.id);
    if (!state.joined) {
      state.joined = true;
      ws.serializeAttachment(state);
    }
    const latest = this.#log.latestSeq;
    send(ws, { type: "ready", room, seq: latest, online: this.#online() });
    if (lastSeq !== undefined && lastSeq < latest) {
      const oldest = this.#log.oldestSeq();
      if (oldest === null || oldest > lastSeq + 1 || latest - lastSeq > HOT_TAIL) {
        send(ws, { type: "resync", seq: latest });
      } else {
        for (const message of this.#log.after(lastSeq, HOT_TAIL)) send(ws, { type: "message", ...message });
      }
    }
    // Everyone else learns who joined; this socket already has it in `ready`.
    if (!wasOnline) this.#broadcastPresence(ws);
  }

  async #send(ws: WebSocket, state: SocketState, clientId: string, rawBody: string): Promise<void> {
    const body = normaliseBody(rawBody);
    if (body === null) {
      send(ws, {
        type: "error",
        code: "invalid_body",
        message: "A message must be 1–4000 characters after trimming.",
        clientId,
      });
      return;
    }
    // A retried send (same sender, same clientId) gets the original ack and nothing else.
    const existing = this.#log.findByClientId(state.user.id, clientId);
    if (existing) {
      send(ws, ackFor(existing));
      return;
    }
    // The author comes from the session, never from the frame. The write is durable
    // before the broadcast and the ack leave: the output gate holds them until it is.
    const message = this.#log.append(state.user, body, clientId, Date.now());
    this.#broadcast({ type: "message", ...message });
    send(ws, ackFor(message));
    await this.#scheduleFlush(FLUSH_DELAY_MS);
  }

  async #flush(): Promise<void> {
    const room = this.#log.room;
    const batch = this.#log.unflushed(FLUSH_BATCH);
    const last = batch.at(-1);
    if (!room || !last) return;
    try {
      await withDatabase(this.env, (db) =>
        db
          .insert(messages)
          .values(
            batch.map((m) => ({
              id: m.id,
              roomId: room.id,
              seq: m.seq,
              authorId: m.author.id,
              authorName: m.author.name,
              authorGuest: m.author.guest,
              body: m.body,
              clientId: m.clientId,
              createdAt: new Date(m.createdAt),
            })),
          )
          // Idempotent: a batch written just before a crash is simply skipped next time.
          .onConflictDoNothing(),
      );
    } catch (error) {
      const failures = this.#log.flushFailures() + 1;
      this.#log.setFlushFailures(failures);
      const delay = flushRetryDelayMs(failures);
      console.warn(
        `room ${room.id}: flushing ${batch.length} messages failed (attempt ${failures}); retrying in ${delay} ms:`,
        error instanceof Error ? error.message : error,
      );
      await this.#scheduleFlush(delay, true);
      return;
    }
    this.#log.markFlushedThrough(last.seq);
    this.#log.setFlushFailures(0);
    if (this.#log.hasUnflushed()) await this.#scheduleFlush(0);
  }

  async #scheduleFlush(delayMs: number, replace = false): Promise<void> {
    this.#alarmAt ??= await this.ctx.storage.getAlarm();
    if (this.#alarmAt !== null && !replace) return;
    this.#alarmAt = Date.now() + delayMs;
    await this.ctx.storage.setAlarm(this.#alarmAt);
  }

  async #ensureRoom(roomId: string): Promise<RoomLookup> {
    const known = this.#log.room;
    if (known) return known.id === roomId ? { status: "ok", room: known } : { status: "not_found" };
    let found: Awaited<ReturnType<typeof findRoomWithLatestSeq>>;
    try {
      found = await withDatabase(this.env, (db) => findRoomWithLatestSeq(db, roomId));
    } catch (error) {
      console.warn(`room ${roomId}: cannot load the room from Postgres`, error);
      return { status: "unavailable" };
    }
    if (!found) return { status: "not_found" };
    const room = { id: found.id, name: found.name };
    this.#log.initialise(room, found.latestSeq);
    return { status: "ok", room };
  }

  #drop(ws: WebSocket): void {
    const state = this.#sockets.get(ws);
    this.#sockets.delete(ws);
    if (state?.joined && !this.#isOnline(state.user.id)) this.#broadcastPresence();
  }

  #isOnline(userId: string): boolean {
    for (const state of this.#sockets.values()) if (state.joined && state.user.id === userId) return true;
    return false;
  }

  #online(): UserRef[] {
    const byId = new Map<string, UserRef>();
    for (const state of this.#sockets.values()) if (state.joined) byId.set(state.user.id, state.user);
    return [...byId.values()];
  }

  #broadcastPresence(except?: WebSocket): void {
    this.#broadcast({ type: "presence", online: this.#online() }, except);
  }

  #broadcast(frame: ServerFrame, except?: WebSocket): void {
    const text = JSON.stringify(frame);
    for (const [ws, state] of this.#sockets) {
      if (!state.joined || ws === except) continue;
      try {
        ws.send(text);
      } catch {
        // The socket is closing; its close handler will tidy up.
      }
    }
  }
}

function send(ws: WebSocket, frame: ServerFrame): void {
  ws.send(JSON.stringify(frame));
}

function ackFor(message: ChatMessage): ServerFrame {
  return {
    type: "ack",
    clientId: message.clientId,
    seq: message.seq,
    id: message.id,
    createdAt: message.createdAt,
  };
}
