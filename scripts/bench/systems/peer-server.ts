// The peer: the stack Chattr's first design named. A Node Socket.IO 4.8 server (WebSocket
// transport only) that checks Chattr's session cookie, keeps each room's seq in memory,
// broadcasts with `io.to(room).emit`, and writes every message to the same Postgres schema
// in batches. Run as a child process (peer.ts) so it can be pinned and sampled.
// Env: BENCH_PORT, BENCH_SESSION_SECRET, BENCH_DATABASE_URL.
// HTTP besides Socket.IO: GET / (health), POST /rooms (creates a room row, answers its id),
// GET /stored (flushes pending writes, answers {"inserted", "rows"}).
import { randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import pg from "pg";
import { Server } from "socket.io";
import { SESSION_COOKIE, verifySession } from "../../../worker/auth/session.ts";
import type { ChatMessage, UserRef } from "../../../worker/protocol/room-protocol.ts";
import { flushRetryDelayMs } from "../../../worker/room/flush-backoff.ts";
import type { PeerClientToServer, PeerServerToClient } from "./peer-protocol.ts";

/** A batch is written when it reaches this many rows, or this long after its first row. */
const BATCH_MAX_ROWS = 500;
const BATCH_DELAY_MS = 100;
/** Chattr's bound on a message body. */
const MAX_BODY_CHARS = 4_000;

const port = Number(process.env.BENCH_PORT);
const sessionSecret = process.env.BENCH_SESSION_SECRET;
// A pool of one connection: queries stay in order, and a connection the database (or the
// bench's fault proxy) cut is replaced on the next query.
const database = new pg.Pool({ connectionString: process.env.BENCH_DATABASE_URL, max: 1 });
database.on("error", (error) => console.error("peer: database connection error:", error.message));
await database.query("SELECT 1");

/** Rooms created through POST /rooms, with the last seq assigned in each. */
const roomSeqs = new Map<string, number>();

// ---- Batched writes -------------------------------------------------------------------

let pending: ChatMessage[] = [];
let flushTimer: NodeJS.Timeout | undefined;
/** Batches are written one after another, in order, on the one connection. */
let writes: Promise<void> = Promise.resolve();
let insertedRows = 0;

function queueWrite(message: ChatMessage): void {
  pending.push(message);
  if (pending.length >= BATCH_MAX_ROWS) void flush();
  else flushTimer ??= setTimeout(flush, BATCH_DELAY_MS);
}

function flush(): Promise<void> {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  const batch = pending;
  pending = [];
  writes = writes.then(() => writeBatch(batch));
  return writes;
}

const COLUMNS_PER_ROW = 9;

async function writeBatch(batch: ChatMessage[]): Promise<void> {
  if (batch.length === 0) return;
  const values: (string | number | boolean)[] = [];
  const rows = batch.map((message, row) => {
    values.push(
      message.id,
      message.roomId,
      message.seq,
      message.author.id,
      message.author.name,
      message.author.guest,
      message.body,
      message.clientId,
      message.createdAt,
    );
    const first = row * COLUMNS_PER_ROW;
    return `(${Array.from({ length: COLUMNS_PER_ROW }, (_, column) => `$${first + column + 1}`).join(", ")})`;
  });
  // A failed batch stays in memory and is retried with Chattr's own flush backoff (1 s, 2 s,
  // 4 s … capped at 60 s), ahead of the batches queued behind it, so rows keep their order.
  for (let failures = 1; ; failures++) {
    try {
      // (room_id, seq) is unique, as for Chattr's flushes: a repeated batch changes nothing.
      const result = await database.query(
        `INSERT INTO messages (id, room_id, seq, author_id, author_name, author_guest, body, client_id, created_at)
         VALUES ${rows.join(", ")} ON CONFLICT DO NOTHING`,
        values,
      );
      insertedRows += result.rowCount ?? 0;
      return;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (stopping) {
        // A lost batch shows up as missing rows in GET /stored, which the smoke test checks.
        console.error(`peer: could not write ${batch.length} messages while stopping:`, reason);
        return;
      }
      const delay = flushRetryDelayMs(failures);
      console.error(
        `peer: could not write ${batch.length} messages (attempt ${failures}); retrying in ${delay} ms:`,
        reason,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

// ---- HTTP -----------------------------------------------------------------------------

function answerJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(body));
}

const http = createServer((request, response) => {
  const handle = async () => {
    if (request.method === "GET" && request.url === "/") {
      response.writeHead(200, { "Content-Type": "text/plain" });
      response.end("ok");
    } else if (request.method === "POST" && request.url === "/rooms") {
      // The room row must exist for the messages' foreign key; no owner (the column is nullable).
      const id = `bench-${randomUUID().slice(0, 8)}`;
      await database.query("INSERT INTO rooms (id, name, visibility) VALUES ($1, $2, 'public')", [id, id]);
      roomSeqs.set(id, 0);
      answerJson(response, 201, { id });
    } else if (request.method === "GET" && request.url === "/stored") {
      await flush();
      const count = await database.query<{ rows: string }>("SELECT count(*) AS rows FROM messages");
      answerJson(response, 200, { inserted: insertedRows, rows: Number(count.rows[0]?.rows ?? 0) });
    } else {
      answerJson(response, 404, { error: "not_found" });
    }
  };
  handle().catch((error: unknown) => {
    console.error("peer: request failed:", error);
    if (!response.headersSent) answerJson(response, 500, { error: String(error) });
  });
});

// ---- Socket.IO --------------------------------------------------------------------------

interface SocketData {
  user: UserRef;
  roomId: string | undefined;
}

const io = new Server<PeerClientToServer, PeerServerToClient, Record<string, never>, SocketData>(http, {
  transports: ["websocket"],
  serveClient: false,
  perMessageDeflate: false,
  // Socket.IO's own resume (4.6+): a client that comes back within 2 minutes with its
  // session id and last offset gets its rooms back and the packets it missed (scenario 3).
  connectionStateRecovery: { maxDisconnectionDuration: 2 * 60_000, skipMiddlewares: true },
});

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/** Chattr's own check (worker/auth/session.ts): the very same function, so the same key, algorithm, issuer, audience and claims. */
async function userOfSession(token: string | undefined): Promise<UserRef | null> {
  return (await verifySession(token, sessionSecret))?.user ?? null;
}

io.use((socket, next) => {
  userOfSession(readCookie(socket.request.headers.cookie, SESSION_COOKIE)).then(
    (user) => {
      if (!user) return next(new Error("unauthorized"));
      socket.data.user = user;
      socket.data.roomId = undefined;
      next();
    },
    (error: unknown) => next(error instanceof Error ? error : new Error(String(error))),
  );
});

io.on("connection", (socket) => {
  // Events come from the network: one without an acknowledgement callback is dropped
  // rather than crash the server when it is answered.
  socket.on("hello", (roomId, reply) => {
    if (typeof reply !== "function") return;
    const seq = roomSeqs.get(roomId);
    if (seq === undefined) return reply({ type: "error", code: "not_found" });
    void socket.join(roomId);
    socket.data.roomId = roomId;
    reply({ type: "ready", roomId, seq });
  });

  socket.on("attach", (roomId, reply) => {
    if (typeof reply !== "function") return;
    const seq = roomSeqs.get(roomId);
    if (seq === undefined) return reply({ type: "error", code: "not_found" });
    socket.data.roomId = roomId;
    reply({ type: "ready", roomId, seq });
  });

  socket.on("send", (frame, reply) => {
    if (typeof reply !== "function" || typeof frame !== "object" || frame === null) return;
    const roomId = socket.data.roomId;
    const seq = roomId === undefined ? undefined : roomSeqs.get(roomId);
    if (roomId === undefined || seq === undefined) return reply({ type: "error", code: "not_joined" });
    const { clientId, body } = frame;
    if (
      typeof clientId !== "string" ||
      typeof body !== "string" ||
      body.length === 0 ||
      body.length > MAX_BODY_CHARS
    )
      return reply({ type: "error", code: "invalid_body" });
    roomSeqs.set(roomId, seq + 1);
    const message: ChatMessage = {
      id: randomUUID(),
      seq: seq + 1,
      roomId,
      author: socket.data.user,
      body,
      createdAt: new Date().toISOString(),
      clientId,
    };
    // Broadcast first and write later, in batches: the design Chattr replaced (a message
    // can be delivered and then lost with the process, which Chattr's output gate prevents).
    io.to(roomId).emit("message", { type: "message", ...message });
    reply({ type: "ack", clientId, seq: message.seq, id: message.id, createdAt: message.createdAt });
    queueWrite(message);
  });
});

http.listen(port, "127.0.0.1");

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  io.disconnectSockets(true);
  // Bounded: with the database down, a batch may be waiting out its retry backoff.
  await Promise.race([flush(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  console.log(`peer: ${insertedRows} messages written`);
  // PGlite's socket server ignores Terminate, so ending the connection may never finish.
  await Promise.race([database.end(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
