// A model-based property test of a room's durability and ordering contract
// (ARCHITECTURE.md, "Durability and ordering" and "Room socket contract").
//
// fast-check generates random sequences of what real clients and the platform do to a room:
// clients connect (and reconnect with `hello {lastSeq}`), send, retry a clientId, drop their
// socket abruptly (sometimes right after a send, so the ack is never seen), the flush alarm
// runs, Postgres goes down and comes back, and the Durable Object is evicted. Every run uses
// a fresh room. At the end of a run the clients retry whatever they never got an ack for,
// Postgres comes back, the alarm runs until the room holds nothing unflushed, and then:
//  (1) Postgres holds exactly the acked messages (same seq, id, body, client_id, author,
//      created_at), seqs 1..N without gaps or duplicates;
//  (2) every socket got the messages after the seq it said hello with (or after `ready.seq`)
//      in order, with no gap; a client's sockets plus the history pages it fetched after a
//      `resync` cover a gapless range of the room's log, and what a client saw matches it;
//  (3) no socket got the same message twice;
//  (4) every ack for a clientId (original and retries) is identical, and a clientId never
//      makes a second message.
//
// Two generators reach past the everyday path; each found a bug in the room, since fixed:
// TRICKY_BODIES (NUL and lone surrogates in bodies, now refused with invalid_body) and
// BURSTS (one client sends a whole hot tail at once, so the room trims rows it has
// flushed; a late retry then made a duplicate). BURSTS is off: the room's flood limit
// (bursts of 20, then 5/s) now refuses such a burst by design, and the trimmed-retry case
// has its own test in realtime.test.ts.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatMessage, normaliseBody, type ServerFrame } from "../worker/protocol/room-protocol.ts";
import type { ChatRoom } from "../worker/room/chat-room.ts";
import { HOT_TAIL, RoomLog } from "../worker/room/room-log.ts";
import {
  api,
  createRoom,
  insertArchivedMessages,
  query,
  RoomClient,
  roomStub,
  type Session,
  setDatabaseOutage,
  signUp,
  unflushedIn,
  upgrade,
} from "./helpers.ts";

const MAX_USERS = 3;
/** History page size the model client uses after a `resync` (small, so it really pages). */
const PAGE = 2;
/** For long gaps (after a burst) it asks for the largest page instead. */
const BIG_PAGE = 200;
/**
 * Runs per test: 40, or ROOM_MODEL_RUNS (CI's second pass, against a PostgreSQL server,
 * runs fewer: it checks the flushes against a real server; the interleavings were explored
 * in the first pass on the same code).
 */
const NUM_RUNS = Number(env.ROOM_MODEL_RUNS) || 40;
const MAX_COMMANDS = 25;
const TRICKY_BODIES = true;
const BURSTS = false;

type Ack = Extract<ServerFrame, { type: "ack" }>;
type MessageFrame = Extract<ServerFrame, { type: "message" }>;

// ---- the world: real sockets and what the clients know ---------------------------------

interface SocketRecord {
  client: RoomClient;
  /** The `lastSeq` this socket said hello with (undefined: a plain `hello`). */
  hello: number | undefined;
  ready: number;
  resync: boolean;
  /**
   * Frames the client received before it dropped the socket. A dropped connection delivers
   * nothing more (a browser also discards frames once it called `close()`), so frames the
   * runtime still hands over afterwards do not count.
   */
  cut: number | null;
}

interface SendRecord {
  clientId: string;
  body: string;
  /** Part of a burst (never picked for a retry: the interesting ones are older). */
  burst?: boolean;
}

interface UserState {
  session: Session;
  /** The live socket, or null when the client has none (never connected or dropped). */
  socket: SocketRecord | null;
  sockets: SocketRecord[];
  /** This client's view starts after this seq (set by its first `ready`), null before. */
  origin: number | null;
  /** Pages fetched over HTTP after a `resync`. */
  history: ChatMessage[];
  sends: SendRecord[];
}

interface World {
  roomId: string;
  archived: number;
  users: UserState[];
  outage: boolean;
  /** Whether the room object has loaded the room (after that it needs no Postgres to accept sockets). */
  initialised: boolean;
  nextClientId: number;
  /** What happened, for the failure report. */
  trace: string[];
}

/** What `check` needs to decide which commands apply. */
interface Model {
  userCount: number;
  /** At most one burst per run: it is the expensive command. */
  burst: boolean;
  live: boolean[];
  sendCount: number[];
}

const stub = (world: World) => roomStub(world.roomId);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function framesOf(socket: SocketRecord): ServerFrame[] {
  return socket.cut === null ? socket.client.frames : socket.client.frames.slice(0, socket.cut);
}

function ofType<K extends ServerFrame["type"]>(
  socket: SocketRecord,
  type: K,
): Extract<ServerFrame, { type: K }>[] {
  return framesOf(socket).filter((f) => f.type === type) as Extract<ServerFrame, { type: K }>[];
}

function messagesOf(socket: SocketRecord): MessageFrame[] {
  return ofType(socket, "message");
}

/** Every seq this client holds: from its sockets and from history pages. */
function heldSeqs(user: UserState): Set<number> {
  const seqs = new Set<number>();
  for (const socket of user.sockets) for (const m of messagesOf(socket)) seqs.add(m.seq);
  for (const m of user.history) seqs.add(m.seq);
  return seqs;
}

/** The highest seq up to which this client holds every message since its origin. */
function contiguous(user: UserState): number {
  if (user.origin === null) return 0;
  const held = heldSeqs(user);
  let seq = user.origin;
  while (held.has(seq + 1)) seq++;
  return seq;
}

/** The highest seq a socket knows the room has reached (its ready, or its last message). */
function socketHigh(socket: SocketRecord): number {
  return Math.max(socket.ready, ...messagesOf(socket).map((m) => m.seq));
}

function ackFrames(user: UserState): Ack[] {
  return user.sockets.flatMap((s) => ofType(s, "ack"));
}

/** The first ack the client got for each clientId. */
function firstAcks(user: UserState): Map<string, Ack> {
  const acks = new Map<string, Ack>();
  for (const ack of ackFrames(user)) if (!acks.has(ack.clientId)) acks.set(ack.clientId, ack);
  return acks;
}

function liveSockets(world: World): SocketRecord[] {
  return world.users.flatMap((u) => (u.socket ? [u.socket] : []));
}

/** Waits until every live socket has seen the room reach `seq`. */
async function allLiveReach(world: World, seq: number): Promise<void> {
  for (const socket of liveSockets(world)) {
    await socket.client.until(
      (c) => c.closed || socketHigh(socket) >= seq,
      `a live socket to reach seq ${seq}`,
    );
  }
}

/** Pages history over HTTP until the client holds every message through `through`. */
async function pageHistory(world: World, user: UserState, through: number): Promise<"done" | "unavailable"> {
  let before = through + 1;
  while (contiguous(user) < through) {
    // Never below what the client already holds: its view starts at its origin.
    const missing = before - 1 - contiguous(user);
    const limit = Math.min(missing > 10 ? BIG_PAGE : PAGE, missing);
    const response = await api(`/api/rooms/${world.roomId}/messages?before=${before}&limit=${limit}`, {
      cookie: user.session.cookie,
    });
    if (response.status === 503 && world.outage) {
      await response.text();
      return "unavailable";
    }
    expect(response.status, `history page before=${before}`).toBe(200);
    const { messages } = (await response.json()) as { messages: ChatMessage[] };
    const seqs = messages.map((m) => m.seq);
    // A page is newest first, directly below `before`, without gaps.
    expect(seqs, `history page before=${before}`).toEqual(
      Array.from({ length: Math.min(limit, before - 1) }, (_, i) => before - 1 - i),
    );
    user.history.push(...messages);
    const last = messages.at(-1);
    if (!last) break;
    before = last.seq;
  }
  expect(contiguous(user), "history fills the gap after resync").toBeGreaterThanOrEqual(through);
  return "done";
}

// ---- commands ---------------------------------------------------------------------------

type RoomCommand = fc.AsyncCommand<Model, World>;

class Connect implements RoomCommand {
  constructor(
    readonly user: number,
    /** For a client's first socket: say `hello {lastSeq: 0}` (wants everything) instead of `hello`. */
    readonly fromZero: boolean,
  ) {}
  check(m: Readonly<Model>) {
    return this.user < m.userCount && !m.live[this.user];
  }
  async run(m: Model, world: World) {
    const user = world.users[this.user] as UserState;
    const hello = user.origin === null ? (this.fromZero ? 0 : undefined) : contiguous(user);
    const response = await upgrade(world.roomId, { cookie: user.session.cookie });
    if (!response.webSocket) {
      await response.text();
      // Only loading an unknown room needs Postgres: an outage may refuse the first socket.
      world.trace.push(`connect u${this.user}: ${response.status}`);
      expect(
        response.status === 503 && world.outage && !world.initialised,
        `upgrade refused with ${response.status} (outage: ${world.outage}, initialised: ${world.initialised})`,
      ).toBe(true);
      return;
    }
    world.initialised = true;
    const client = new RoomClient(response.webSocket);
    client.send(hello === undefined ? { type: "hello" } : { type: "hello", lastSeq: hello });
    const ready = await client.next("ready");
    const socket: SocketRecord = { client, hello, ready: ready.seq, resync: false, cut: null };
    user.sockets.push(socket);
    user.socket = socket;
    m.live[this.user] = true;
    user.origin ??= hello ?? ready.seq;
    world.trace.push(`connect u${this.user} hello=${hello ?? "-"} ready=${ready.seq}`);
    if (hello !== undefined) {
      expect(ready.seq, "the room's seq never goes below what a client has seen").toBeGreaterThanOrEqual(
        hello,
      );
    }
    if (hello !== undefined && ready.seq > hello) {
      await client.until(
        (c) => c.of("resync").length > 0 || c.of("message").some((m) => m.seq >= ready.seq),
        `the replay after ${hello} through ${ready.seq}`,
      );
      socket.resync = client.of("resync").length > 0;
      // The room keeps at least its hot tail, so it must replay unless the client asks for
      // archived messages only Postgres has, or for more than the hot tail. (Rows it trimmed
      // are older than ready - HOT_TAIL, so they need no case of their own.)
      expect(
        socket.resync,
        `resync for hello ${hello}, ready ${ready.seq}, ${world.archived} archived, hot tail ${HOT_TAIL}`,
      ).toBe(hello < world.archived || ready.seq - hello > HOT_TAIL);
      if (socket.resync) {
        world.trace.push(`  resync, paging history through ${ready.seq}`);
        expect(client.of("resync")[0]?.seq).toBe(ready.seq);
        await pageHistory(world, user, ready.seq);
      }
    }
  }
  toString() {
    return `connect(u${this.user}${this.fromZero ? ", from 0" : ""})`;
  }
}

class Send implements RoomCommand {
  constructor(
    readonly user: number,
    readonly body: string,
  ) {}
  check(m: Readonly<Model>) {
    return this.user < m.userCount && (m.live[this.user] ?? false);
  }
  async run(m: Model, world: World) {
    const user = world.users[this.user] as UserState;
    if (normaliseBody(this.body) === null) {
      // Text the room cannot store faithfully is refused, and nothing is stored.
      await expectInvalidBody(user, `c${world.nextClientId++}`, this.body);
      return;
    }
    const send = { clientId: `c${world.nextClientId++}`, body: this.body };
    user.sends.push(send);
    m.sendCount[this.user] = user.sends.filter((x) => !x.burst).length;
    const ack = await sendAndAwaitAck(user, send);
    world.trace.push(`send u${this.user} ${send.clientId} -> seq ${ack.seq}`);
    await allLiveReach(world, ack.seq);
  }
  toString() {
    return `send(u${this.user}, ${JSON.stringify(this.body)})`;
  }
}

async function expectInvalidBody(user: UserState, clientId: string, body: string): Promise<void> {
  const socket = user.socket;
  if (!socket) throw new Error("no live socket");
  const from = socket.client.frames.length;
  socket.client.send({ type: "send", clientId, body });
  const reply = await socket.client.until(
    (c) =>
      c.frames.slice(from).find((f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId),
    `the answer for ${clientId}`,
  );
  expect(reply).toMatchObject({ type: "error", code: "invalid_body", clientId });
}

/** Sends on the live socket and waits for its ack (an error frame fails the run). */
async function sendAndAwaitAck(user: UserState, send: SendRecord): Promise<Ack> {
  const socket = user.socket;
  if (!socket) throw new Error("no live socket");
  const from = socket.client.frames.length;
  socket.client.send({ type: "send", clientId: send.clientId, body: send.body });
  const reply = await socket.client.until(
    (c) =>
      c.frames
        .slice(from)
        .find((f) => (f.type === "ack" || f.type === "error") && f.clientId === send.clientId) ??
      (c.closed ? { type: "closed" as const, ...c.closed } : undefined),
    `the ack for ${send.clientId}`,
  );
  if (reply.type !== "ack") throw new Error(`send ${send.clientId} answered ${JSON.stringify(reply)}`);
  // (4) A retry gets exactly the ack of the original.
  const earlier = ackFrames(user).find((a) => a.clientId === send.clientId);
  expect(reply, `ack for ${send.clientId}`).toEqual(earlier);
  return reply;
}

class Retry implements RoomCommand {
  constructor(
    readonly user: number,
    readonly pick: number,
    /** Retry one the client never saw an ack for, when there is one. */
    readonly unackedFirst: boolean,
  ) {}
  check(m: Readonly<Model>) {
    return this.user < m.userCount && (m.live[this.user] ?? false) && (m.sendCount[this.user] ?? 0) > 0;
  }
  async run(_m: Model, world: World) {
    const user = world.users[this.user] as UserState;
    const acks = firstAcks(user);
    const isAcked = (s: SendRecord) => acks.has(s.clientId);
    const candidates = user.sends.filter((s) => !s.burst);
    const unacked = candidates.filter((s) => !isAcked(s));
    const pool = this.unackedFirst && unacked.length > 0 ? unacked : candidates;
    const send = pool[this.pick % pool.length] as SendRecord;
    const acked = isAcked(send);
    const ack = await sendAndAwaitAck(user, send);
    world.trace.push(
      `retry u${this.user} ${send.clientId}${acked ? "" : " (never acked)"} -> seq ${ack.seq}`,
    );
    await allLiveReach(world, ack.seq);
  }
  toString() {
    return `retry(u${this.user}, #${this.pick}${this.unackedFirst ? ", unacked first" : ""})`;
  }
}

class Drop implements RoomCommand {
  constructor(
    readonly user: number,
    /** Send a new message and close at once, without waiting for its ack. */
    readonly sendFirst: string | null,
  ) {}
  check(m: Readonly<Model>) {
    return this.user < m.userCount && (m.live[this.user] ?? false);
  }
  async run(m: Model, world: World) {
    const user = world.users[this.user] as UserState;
    const socket = user.socket as SocketRecord;
    let sent = "";
    if (this.sendFirst !== null) {
      const send = { clientId: `c${world.nextClientId++}`, body: this.sendFirst };
      user.sends.push(send);
      m.sendCount[this.user] = user.sends.filter((x) => !x.burst).length;
      socket.client.send({ type: "send", clientId: send.clientId, body: send.body });
      sent = ` after sending ${send.clientId}`;
    }
    socket.cut = socket.client.frames.length;
    try {
      socket.client.ws.close(1000, "gone");
    } catch {
      // already closed
    }
    user.socket = null;
    m.live[this.user] = false;
    world.trace.push(`drop u${this.user}${sent}`);
    await sleep(5);
  }
  toString() {
    return `drop(u${this.user}${this.sendFirst === null ? "" : `, right after sending ${JSON.stringify(this.sendFirst)}`})`;
  }
}

/** One client sends a whole hot tail of messages at once, so the room trims what it flushed. */
class Burst implements RoomCommand {
  constructor(
    readonly user: number,
    /** Run the flush alarm right after, as the room itself would 100 ms later. */
    readonly thenFlush: boolean,
  ) {}
  check(m: Readonly<Model>) {
    return this.user < m.userCount && (m.live[this.user] ?? false) && !m.burst;
  }
  async run(m: Model, world: World) {
    m.burst = true;
    const user = world.users[this.user] as UserState;
    const socket = user.socket as SocketRecord;
    const sends = Array.from({ length: HOT_TAIL }, (_, i) => ({
      clientId: `c${world.nextClientId++}`,
      body: `burst ${i + 1}`,
      burst: true,
    }));
    user.sends.push(...sends);
    const from = socket.client.frames.length;
    for (const send of sends) socket.client.send({ type: "send", clientId: send.clientId, body: send.body });
    const lastId = sends.at(-1)?.clientId;
    const last = await socket.client.until(
      (c) => c.frames.slice(from).find((f) => f.type === "ack" && f.clientId === lastId) as Ack | undefined,
      "the burst's last ack",
      30_000,
    );
    world.trace.push(`burst u${this.user} ${HOT_TAIL} messages -> through seq ${last.seq}`);
    await allLiveReach(world, last.seq);
    if (this.thenFlush) world.trace.push(`alarm ran=${await runDurableObjectAlarm(stub(world))}`);
  }
  toString() {
    return `burst(u${this.user}, ${HOT_TAIL} messages${this.thenFlush ? ", then alarm" : ""})`;
  }
}

class RunAlarm implements RoomCommand {
  check() {
    return true;
  }
  async run(_m: Model, world: World) {
    const ran = await runDurableObjectAlarm(stub(world));
    world.trace.push(`alarm ran=${ran}`);
  }
  toString() {
    return "alarm()";
  }
}

class Outage implements RoomCommand {
  constructor(readonly down: boolean) {}
  check() {
    return true;
  }
  async run(_m: Model, world: World) {
    await setDatabaseOutage(this.down);
    world.outage = this.down;
    world.trace.push(`outage ${this.down ? "start" : "end"}`);
  }
  toString() {
    return `outage(${this.down ? "start" : "end"})`;
  }
}

class Evict implements RoomCommand {
  check() {
    return true;
  }
  async run(_m: Model, world: World) {
    try {
      await evictDurableObject(stub(world));
      world.trace.push("evict");
    } catch (error) {
      // Nothing to evict when the object is not in memory (never started, or already evicted).
      if (!(error instanceof Error && /not currently running/.test(error.message))) throw error;
      world.trace.push("evict (not running)");
    }
  }
  toString() {
    return "evict()";
  }
}

/** Lets the room's own alarm (due 100 ms after a send) fire on its own. */
class Wait implements RoomCommand {
  check() {
    return true;
  }
  async run(_m: Model, world: World) {
    await sleep(150);
    world.trace.push("wait 150 ms");
  }
  toString() {
    return "wait()";
  }
}

/**
 * Characters a JSON string may carry that are easy to get wrong on the way to SQLite and
 * Postgres: NUL and other controls, lone surrogates, astral and invisible characters, and
 * whitespace that trimming does or does not remove.
 */
const trickyChar = fc.constantFrom(
  "\u0000",
  "\u0007",
  "\ud800",
  "\udfff",
  "é",
  "😀",
  "\u200b",
  "\u2028",
  "\t",
  "\n",
  " ",
);
const bodyArb = fc
  .oneof(
    { weight: 5, arbitrary: fc.string({ minLength: 1, maxLength: 24 }) },
    { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }) },
    {
      weight: TRICKY_BODIES ? 2 : 0,
      arbitrary: fc.string({
        unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1 }), trickyChar),
        minLength: 1,
        maxLength: 6,
      }),
    },
    { weight: 1, arbitrary: fc.constantFrom("hi", "  padded  ", "line\nbreak", "x".repeat(4000)) },
  )
  .filter((body) => body.trim().length > 0 && body.trim().length <= 4000);
/** Bodies the room stores (a send that is dropped mid-flight is retried later, so it must be). */
const storableBodyArb = bodyArb.filter((body) => normaliseBody(body) !== null);

/** The commands for a room with `users` clients (sends weighted up: they are what matters). */
function commandArbs(users: number) {
  const user = fc.nat({ max: users - 1 });
  const send = fc.tuple(user, bodyArb).map(([u, body]) => new Send(u, body));
  const connect = fc.tuple(user, fc.boolean()).map(([u, fromZero]) => new Connect(u, fromZero));
  const weighted = <T>(weight: number, arbitrary: fc.Arbitrary<T>) =>
    Array<fc.Arbitrary<T>>(weight).fill(arbitrary);
  return [
    ...weighted(3, connect),
    ...weighted(5, send),
    ...weighted(
      2,
      fc.tuple(user, fc.nat(), fc.boolean()).map(([u, pick, unacked]) => new Retry(u, pick, unacked)),
    ),
    ...weighted(
      2,
      fc.tuple(user, fc.option(storableBodyArb, { freq: 2 })).map(([u, body]) => new Drop(u, body)),
    ),
    ...weighted(
      BURSTS ? 2 : 0,
      fc.tuple(user, fc.boolean()).map(([u, thenFlush]) => new Burst(u, thenFlush)),
    ),
    fc.constant(new RunAlarm()),
    fc.boolean().map((down) => new Outage(down)),
    fc.constant(new Evict()),
    fc.constant(new Wait()),
  ];
}

// ---- the end of a run: settle, flush, check --------------------------------------------

interface Row extends Record<string, unknown> {
  seq: string;
  id: string;
  body: string;
  client_id: string;
  author_id: string;
  created_at: Date;
}

async function unflushedCount(world: World): Promise<number> {
  return runInDurableObject(stub(world), (_room: ChatRoom, state) => unflushedIn(state));
}

/** Runs the alarm until the room holds nothing unflushed; fails if it would never get there. */
async function flushAll(world: World): Promise<void> {
  let idle = 0;
  for (let round = 0; ; round++) {
    const left = await unflushedCount(world);
    if (left === 0) return;
    if (round >= 40) {
      const stuck = await runInDurableObject(stub(world), (_room: ChatRoom, state) =>
        new RoomLog(state.storage.sql).unflushed(HOT_TAIL).map(({ seq, body }) => ({ seq, body })),
      );
      throw new Error(
        `${left} messages still unflushed after ${round} alarm runs with Postgres up: ${JSON.stringify(stuck)}`,
      );
    }
    if (await runDurableObjectAlarm(stub(world))) {
      idle = 0;
    } else {
      // The room's own alarm may be running right now; give it a moment.
      if (++idle > 20) throw new Error(`${left} unflushed messages and no flush alarm scheduled`);
      await sleep(50);
    }
  }
}

/**
 * Bodies are compared JSON-quoted: a lone surrogate in a raw string would make the failure
 * report itself invalid UTF-8 (and crash the test pool's connection) instead of showing it.
 */
const quoted = (body: string) => JSON.stringify(body);

async function settleAndCheck(world: World): Promise<void> {
  if (world.outage) {
    await setDatabaseOutage(false);
    world.outage = false;
  }
  // Clients retry every send they never saw an ack for (what a real outbox does), so that
  // afterwards "acked" and "in the room's log" must be the same set.
  for (const [index, user] of world.users.entries()) {
    const acks = firstAcks(user);
    const unacked = user.sends.filter((s) => !acks.has(s.clientId));
    if (unacked.length === 0) continue;
    if (!user.socket) {
      const model: Model = { userCount: world.users.length, burst: true, live: [], sendCount: [] };
      await new Connect(index, false).run(model, world);
    }
    for (const send of unacked) {
      const ack = await sendAndAwaitAck(user, send);
      world.trace.push(`settle: retry u${index} ${send.clientId} -> seq ${ack.seq}`);
    }
  }
  const acks = world.users.flatMap(ackFrames);
  const latest = Math.max(world.archived, ...acks.map((a) => a.seq));
  await allLiveReach(world, latest);
  // Clients whose resync pages failed during an outage fetch them now.
  for (const user of world.users) {
    const through = Math.max(...user.sockets.filter((s) => s.resync).map((s) => s.ready), 0);
    if (user.origin !== null && contiguous(user) < through) await pageHistory(world, user, through);
  }

  await flushAll(world);
  const rows = await query<Row>(
    "select seq, id, body, client_id, author_id, created_at from messages where room_id = $1 order by seq",
    [world.roomId],
  );
  const log = rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    body: quoted(r.body),
    clientId: r.client_id,
    authorId: r.author_id,
    createdAt: new Date(r.created_at).toISOString(),
  }));

  // (1) Postgres holds the archived prefix and then exactly the acked messages, 1..N.
  expect(
    log.map((r) => r.seq),
    "seqs in Postgres",
  ).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
  const expected = world.users
    .flatMap((user) => {
      const acks = firstAcks(user);
      return user.sends.map((send) => {
        const ack = acks.get(send.clientId);
        if (!ack) throw new Error(`send ${send.clientId} never acked`);
        return {
          seq: ack.seq,
          id: ack.id,
          body: quoted(send.body.trim()),
          clientId: send.clientId,
          authorId: user.session.user.id,
          createdAt: ack.createdAt,
        };
      });
    })
    .sort((a, b) => a.seq - b.seq);
  expect(log.slice(world.archived), "Postgres rows after the archived prefix = the acked messages").toEqual(
    expected,
  );
  expect(log.slice(0, world.archived).map((r) => r.clientId)).toEqual(
    Array.from({ length: world.archived }, (_, i) => `archived-${i + 1}`),
  );

  const expectedByClientId = new Map(expected.map((e) => [e.clientId, e]));
  const bySeq = new Map(log.map((r) => [r.seq, r]));
  const sameAsLog = (m: ChatMessage, where: string) => {
    const row = bySeq.get(m.seq);
    expect(row, `${where}: message ${m.seq} is not in the room's log`).toBeDefined();
    expect(
      { id: m.id, body: quoted(m.body), clientId: m.clientId, authorId: m.author.id, createdAt: m.createdAt },
      `${where}: message ${m.seq} as in the room's log`,
    ).toEqual({
      id: row?.id,
      body: row?.body,
      clientId: row?.clientId,
      authorId: row?.authorId,
      createdAt: row?.createdAt,
    });
    expect(m.roomId, `${where}: message ${m.seq} roomId`).toBe(world.roomId);
  };

  for (const [index, user] of world.users.entries()) {
    const who = `u${index}`;
    // (4) Every ack a client got for a clientId is the same; acks go to their sender only.
    const own = new Set(user.sends.map((s) => s.clientId));
    for (const ack of ackFrames(user)) {
      expect(own.has(ack.clientId), `${who} got an ack for someone else's ${ack.clientId}`).toBe(true);
      const original = expectedByClientId.get(ack.clientId);
      expect(ack, `${who}: every ack for ${ack.clientId} is the original`).toEqual({
        type: "ack",
        clientId: ack.clientId,
        seq: original?.seq,
        id: original?.id,
        createdAt: original?.createdAt,
      });
    }
    for (const [n, socket] of user.sockets.entries()) {
      const where = `${who} socket #${n} (hello ${socket.hello ?? "-"}, ready ${socket.ready}${socket.resync ? ", resync" : ""})`;
      // The only errors expected are refusals of text the room cannot store.
      expect(
        ofType(socket, "error").filter((e) => e.code !== "invalid_body"),
        `${where}: error frames`,
      ).toEqual([]);
      const seqs = messagesOf(socket).map((m) => m.seq);
      // (3) No message twice on one socket.
      expect(new Set(seqs).size, `${where}: duplicate deliveries in ${seqs.join(",")}`).toBe(seqs.length);
      // (2) In order, gapless, right after where the socket started.
      const start = socket.resync || socket.hello === undefined ? socket.ready : socket.hello;
      expect(seqs, `${where}: messages`).toEqual(
        Array.from({ length: seqs.length }, (_, i) => start + 1 + i),
      );
      for (const m of messagesOf(socket)) sameAsLog(m, where);
    }
    for (const m of user.history) sameAsLog(m, `${who} history`);
    // (2) Across all of a client's sockets and pages: a gapless range of the log, and a
    // client still connected at the end has all of it.
    if (user.origin !== null) {
      const held = [...heldSeqs(user)].sort((a, b) => a - b);
      const high = held.at(-1) ?? user.origin;
      expect(held, `${who}: seqs held`).toEqual(
        Array.from({ length: high - user.origin }, (_, i) => (user.origin as number) + 1 + i),
      );
      if (user.socket)
        expect(Math.max(high, user.socket.ready), `${who}: live client is current`).toBe(log.length);
    }
  }
}

// ---- the property -----------------------------------------------------------------------

describe("room model", () => {
  let sessions: Session[] = [];

  beforeAll(async () => {
    // argon2 makes sign-up slow: sign up once, reuse the sessions in every run.
    sessions = await Promise.all(Array.from({ length: MAX_USERS }, () => signUp()));
  });

  afterAll(async () => {
    await setDatabaseOutage(false);
  });

  it("keeps every acked message exactly once, in order, for every client, through drops, outages and evictions", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: MAX_USERS })
          .chain((users) =>
            fc.tuple(
              fc.constant(users),
              fc.commands(commandArbs(users), { maxCommands: MAX_COMMANDS, size: "max" }),
            ),
          ),
        fc.constantFrom(0, 0, 1, 3),
        async ([userCount, commands], archived) => {
          const owner = sessions[0] as Session;
          const roomId = await createRoom(owner);
          if (archived > 0) await insertArchivedMessages(roomId, owner, archived, "archived");
          const world: World = {
            roomId,
            archived,
            users: sessions.slice(0, userCount).map((session) => ({
              session,
              socket: null,
              sockets: [],
              origin: null,
              history: [],
              sends: [],
            })),
            outage: false,
            initialised: false,
            nextClientId: 1,
            trace: [],
          };
          try {
            await fc.asyncModelRun(
              () => ({
                model: {
                  userCount,
                  burst: false,
                  live: Array(userCount).fill(false),
                  sendCount: Array(userCount).fill(0),
                },
                real: world,
              }),
              commands,
            );
            await settleAndCheck(world);
            console.log();
          } catch (error) {
            throw new Error(
              `${error instanceof Error ? error.message : String(error)}\nroom ${roomId}, ${userCount} users, ${archived} archived; trace:\n  ${world.trace.join("\n  ")}`,
              { cause: error },
            );
          } finally {
            for (const user of world.users) {
              for (const socket of user.sockets) {
                try {
                  socket.client.ws.close(1000, "done");
                } catch {
                  // already closed
                }
              }
            }
            if (world.outage) await setDatabaseOutage(false);
          }
        },
      ),
      { numRuns: NUM_RUNS },
    );
  }, 300_000);
});
