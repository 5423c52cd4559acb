// Scenario 4, persistence: many sender-only clients offer a Poisson stream into one room
// while the bench watches the system's Postgres directly (not through the fault proxy the
// system reaches it by). Two windows on the same room:
//   1. steady: send → ack and send → row-visible-in-Postgres latencies;
//   2. outage: sends go on while the system's Postgres is unreachable for a while (the
//      fault proxy refuses new connections and cuts open ones); afterwards, once every
//      acked message has a row (or a bounded wait ran out): lost rows (acked, never in
//      Postgres), duplicated rows (per clientId and per seq) and the catch-up time.
import { randomUUID } from "node:crypto";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import type { BenchClient, BenchDatabase, RunningSystem, SenderClient } from "../systems/types.ts";
import { type LatencySummary, newHistogram, summarise, toMicros } from "./histogram.ts";
import { generatorSaturation as saturation, sleep } from "./measure.ts";
import { encodeBody } from "./message-body.ts";
import { ResourceSampler, type ResourceUsage } from "./proc-stats.ts";
import { poissonSchedule, seededRandom } from "./schedule.ts";

export interface PersistenceCase {
  /** Offered messages/s into the one room. */
  messagesPerSecond: number;
  /** Sender-only clients (never joined), each its own user: the offered rate is spread over them. */
  senders: number;
  /** Clients that joined the room and receive every message (so broadcasts happen), not measured. */
  receivers: number;
  bodyBytes: number;
  /** Window 1: sending with Postgres up. */
  steadyMs: number;
  /** Window 2: sending before the outage, during it, and after it. */
  beforeOutageMs: number;
  outageMs: number;
  afterOutageMs: number;
  /** After a window's last send, how long to wait at most for every acked message's row. */
  catchUpLimitMs: number;
  /** How often the bench asks Postgres for new rows: the resolution of the lag. */
  pollMs: number;
  seed: number;
}

export interface PersistenceWindow {
  sent: number;
  acked: number;
  /** Sends the server refused, by error code (should be none). */
  refusals: Record<string, number>;
  /** Per message, intended send time → ack received. */
  ackMs: LatencySummary;
  /** Per acked message, intended send time → its row first seen in Postgres. */
  lagMs: LatencySummary;
  /** Per acked message, ack received → its row first seen (what the ack leaves to do). */
  ackToRowMs: LatencySummary;
  /** Acked messages whose row never appeared within the bounded wait. */
  lost: number;
}

export interface PersistenceResult {
  steady: PersistenceWindow;
  outage: PersistenceWindow & {
    /** Ack latency of the messages sent before, during and after the outage (within the window). */
    ackBeforeMs: LatencySummary;
    ackDuringMs: LatencySummary;
    ackAfterMs: LatencySummary;
    /** Messages acked by the time the outage ended (of those sent in the outage window). */
    ackedByOutageEnd: number;
    /** Acked before the outage ended and without a row then: the backlog the system had to catch up. */
    backlogAtOutageEnd: number;
    /** Outage end → the first row written after it (the system's retry delay); null when none came. */
    firstRowMs: number | null;
    /** Outage end → the last message acked before it has its row; null when some never did or none was acked. */
    catchUpMs: number | null;
  };
  /** Over both windows, in the room: rows in Postgres, and rows beyond one per clientId / per seq. */
  rows: number;
  duplicatedClientIds: number;
  duplicatedSeqs: number;
  /** Rows whose clientId the bench never sent (should be none). */
  strangers: number;
  server: ResourceUsage;
  generator: ResourceUsage & { eventLoopDelayP99Ms: number };
  invalidReason: string | null;
}

/** Lets join traffic die down before measuring. */
const SETTLE_MS = 500;
const START_DELAY_MS = 50;
const CONNECT_CONCURRENCY = 20;
/** A send without an ack this long after its intended time is taken as unanswered. */
const ACK_GRACE_MS = 5_000;

interface Sent {
  intendedAt: number;
  ackAt: number;
  seenAt: number;
}

/** Every message the scenario sent, by clientId, and the rows seen in Postgres so far. */
class Ledger {
  readonly byClientId = new Map<string, Sent>();
  /** Rows whose clientId is not ours (should stay 0). */
  strangers = 0;

  onAck = (clientId: string, receivedAt: number) => {
    const sent = this.byClientId.get(clientId);
    if (sent && sent.ackAt === 0) sent.ackAt = receivedAt;
  };
}

/**
 * Polls `messages` for the room every `pollMs`, stamping each message's first-seen time.
 * Reads `seq > prefix`, where every seq up to prefix has been seen: a late row below the
 * newest one (out-of-order commits) is still found.
 */
class RowWatcher {
  readonly #client: pg.Client;
  readonly #roomId: string;
  readonly #ledger: Ledger;
  readonly #pollMs: number;
  readonly #seenSeqs = new Set<number>();
  #prefix = 0;
  #running = false;
  #loop: Promise<void> = Promise.resolve();
  /** The latest poll's error, if it failed (the bench's own connection is not cut). */
  lastError: unknown = null;

  private constructor(client: pg.Client, roomId: string, ledger: Ledger, pollMs: number) {
    this.#client = client;
    this.#roomId = roomId;
    this.#ledger = ledger;
    this.#pollMs = pollMs;
  }

  static async start(url: string, roomId: string, ledger: Ledger, pollMs: number): Promise<RowWatcher> {
    const client = new pg.Client({ connectionString: url });
    client.on("error", () => {});
    await client.connect();
    const watcher = new RowWatcher(client, roomId, ledger, pollMs);
    watcher.#running = true;
    watcher.#loop = watcher.#run();
    return watcher;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const started = performance.now();
      await this.poll().catch((error: unknown) => {
        this.lastError = error;
      });
      await sleep(Math.max(0, this.#pollMs - (performance.now() - started)));
    }
  }

  async poll(): Promise<void> {
    const result = await this.#client.query<{ client_id: string | null; seq: number }>(
      "SELECT client_id, seq FROM messages WHERE room_id = $1 AND seq > $2",
      [this.#roomId, this.#prefix],
    );
    // Stamped once the answer is here: the row was visible at most this late.
    const now = performance.now();
    for (const row of result.rows) {
      const seq = Number(row.seq);
      if (this.#seenSeqs.has(seq)) continue;
      this.#seenSeqs.add(seq);
      const sent = row.client_id === null ? undefined : this.#ledger.byClientId.get(row.client_id);
      if (!sent) this.#ledger.strangers += 1;
      else if (sent.seenAt === 0) sent.seenAt = now;
    }
    while (this.#seenSeqs.has(this.#prefix + 1)) this.#seenSeqs.delete(++this.#prefix);
  }

  /** Counts over the whole room, straight from Postgres. */
  async totals(): Promise<{ rows: number; duplicatedClientIds: number; duplicatedSeqs: number }> {
    const result = await this.#client.query<{ rows: string; client_ids: string; seqs: string }>(
      `SELECT count(*) AS rows, count(DISTINCT client_id) AS client_ids, count(DISTINCT seq) AS seqs
       FROM messages WHERE room_id = $1`,
      [this.#roomId],
    );
    const row = result.rows[0];
    const rows = Number(row?.rows ?? 0);
    return {
      rows,
      duplicatedClientIds: rows - Number(row?.client_ids ?? 0),
      duplicatedSeqs: rows - Number(row?.seqs ?? 0),
    };
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
    // PGlite's socket server ignores Terminate, so ending the connection may never finish.
    await Promise.race([this.#client.end(), sleep(1_000)]);
  }
}

export async function runPersistence(
  system: RunningSystem,
  persistence: PersistenceCase,
): Promise<PersistenceResult> {
  const database = system.database;
  if (!database) throw new Error("this system has no Postgres to watch");
  const room = await system.prepareRoom(persistence.senders + persistence.receivers);
  const { roomId, connectSender } = room;
  if (roomId === undefined || !connectSender)
    throw new Error("this system's rooms have no sender-only clients");
  const perSender = persistence.messagesPerSecond / persistence.senders;
  if (perSender > room.maxSendsPerSecondPerClient)
    throw new Error(
      `${persistence.messagesPerSecond} messages/s over ${persistence.senders} senders exceeds the per-client ` +
        `limit of ${room.maxSendsPerSecondPerClient}/s: use more senders or a lower rate`,
    );

  const ledger = new Ledger();
  const senders: SenderClient[] = [];
  const receivers: BenchClient[] = [];
  let watcher: RowWatcher | undefined;
  try {
    for (let first = 0; first < persistence.senders; first += CONNECT_CONCURRENCY) {
      const batch = Array.from(
        { length: Math.min(CONNECT_CONCURRENCY, persistence.senders - first) },
        (_, offset) => connectSender(first + offset, ledger.onAck),
      );
      const settled = await Promise.allSettled(batch);
      for (const outcome of settled) if (outcome.status === "fulfilled") senders.push(outcome.value);
      const failure = settled.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
    }
    for (let index = 0; index < persistence.receivers; index++)
      receivers.push(await room.connect(persistence.senders + index, () => {}));
    watcher = await RowWatcher.start(database.url, roomId, ledger, persistence.pollMs);
    await sleep(SETTLE_MS);
    return await measure(system, database, persistence, senders, ledger, watcher);
  } finally {
    await watcher?.stop();
    for (const client of [...senders, ...receivers]) client.close();
  }
}

async function measure(
  system: RunningSystem,
  database: BenchDatabase,
  persistence: PersistenceCase,
  senders: SenderClient[],
  ledger: Ledger,
  watcher: RowWatcher,
): Promise<PersistenceResult> {
  const serverSampler = new ResourceSampler(system.serverPids, { includeDescendants: true });
  const generatorSampler = new ResourceSampler([process.pid], { includeDescendants: false });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  serverSampler.start();
  generatorSampler.start();
  loopDelay.enable();
  let steady: Sent[];
  let outage: Sent[];
  let outageStartAt = 0;
  let outageEndAt = 0;
  try {
    // ---- 1. steady ----
    steady = await sendWindow(senders, ledger, persistence, persistence.steadyMs, persistence.seed);
    await waitForRows(steady, persistence.catchUpLimitMs);

    // ---- 2. outage ----
    const windowMs = persistence.beforeOutageMs + persistence.outageMs + persistence.afterOutageMs;
    const sending = sendWindow(senders, ledger, persistence, windowMs, persistence.seed + 1);
    await sleep(START_DELAY_MS + persistence.beforeOutageMs);
    outageStartAt = performance.now();
    await database.setOutage(true);
    await sleep(persistence.outageMs);
    try {
      await database.setOutage(false);
    } finally {
      outageEndAt = performance.now();
    }
    outage = await sending;
    await waitForRows(outage, persistence.catchUpLimitMs);
  } finally {
    // Never leave the system cut off, whatever failed.
    await database.setOutage(false).catch(() => {});
    loopDelay.disable();
  }
  const server = serverSampler.stop();
  const generator = { ...generatorSampler.stop(), eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6 };
  // One last look, so a row that arrived after the last poll is not counted lost.
  await watcher.poll();
  const totals = await watcher.totals();

  const refusals: Record<string, number> = {};
  for (const sender of senders)
    for (const [code, count] of sender.refusals) refusals[code] = (refusals[code] ?? 0) + count;
  const ackedBeforeEnd = outage.filter((sent) => sent.ackAt !== 0 && sent.ackAt <= outageEndAt);
  const backlog = ackedBeforeEnd.filter((sent) => sent.seenAt === 0 || sent.seenAt > outageEndAt);
  const caughtUp = ackedBeforeEnd.length > 0 && ackedBeforeEnd.every((sent) => sent.seenAt !== 0);
  const firstSeenAfter = outage.reduce(
    (first, sent) => (sent.seenAt > outageEndAt ? Math.min(first, sent.seenAt) : first),
    Number.POSITIVE_INFINITY,
  );
  const ackOf = (sents: Sent[]) => summariseWindow(sents, {}).ackMs;
  const lastSeen = ackedBeforeEnd.reduce((latest, sent) => Math.max(latest, sent.seenAt), outageEndAt);
  return {
    // Refusals are counted over both windows, on the steady one.
    steady: summariseWindow(steady, refusals),
    outage: {
      ...summariseWindow(outage, {}),
      ackBeforeMs: ackOf(outage.filter((sent) => sent.intendedAt < outageStartAt)),
      ackDuringMs: ackOf(
        outage.filter((sent) => sent.intendedAt >= outageStartAt && sent.intendedAt < outageEndAt),
      ),
      ackAfterMs: ackOf(outage.filter((sent) => sent.intendedAt >= outageEndAt)),
      ackedByOutageEnd: ackedBeforeEnd.length,
      backlogAtOutageEnd: backlog.length,
      firstRowMs: Number.isFinite(firstSeenAfter) ? firstSeenAfter - outageEndAt : null,
      catchUpMs: caughtUp ? lastSeen - outageEndAt : null,
    },
    ...totals,
    strangers: ledger.strangers,
    server,
    generator,
    invalidReason: generatorSaturation(generator, watcher.lastError),
  };
}

/** Sends one window's Poisson schedule round-robin over the senders; answers its messages. */
async function sendWindow(
  senders: SenderClient[],
  ledger: Ledger,
  persistence: PersistenceCase,
  durationMs: number,
  seed: number,
): Promise<Sent[]> {
  const offsets = poissonSchedule(persistence.messagesPerSecond, durationMs, seededRandom(seed));
  const startAt = performance.now() + START_DELAY_MS;
  const window: Sent[] = [];
  for (const [id, offset] of offsets.entries()) {
    const intendedAt = startAt + offset;
    const wait = intendedAt - performance.now();
    if (wait > 1) await sleep(wait);
    const clientId = randomUUID();
    const sent: Sent = { intendedAt, ackAt: 0, seenAt: 0 };
    ledger.byClientId.set(clientId, sent);
    window.push(sent);
    senders[id % senders.length]?.send(clientId, encodeBody({ id, intendedAt }, persistence.bodyBytes));
  }
  return window;
}

/**
 * Waits until every acked message of the window has its row, or `limitMs` ran out. A
 * message not acked yet is waited for too, unless it was sent over ACK_GRACE_MS ago (it
 * was refused, or its ack is lost: either way it is not counted as acked).
 */
async function waitForRows(window: Sent[], limitMs: number): Promise<void> {
  const until = performance.now() + limitMs;
  const pending = (now: number) =>
    window.some((sent) => sent.seenAt === 0 && (sent.ackAt !== 0 || now - sent.intendedAt < ACK_GRACE_MS));
  while (performance.now() < until && pending(performance.now())) await sleep(20);
}

function summariseWindow(window: Sent[], refusals: Record<string, number>): PersistenceWindow {
  const ack = newHistogram();
  const lag = newHistogram();
  const ackToRow = newHistogram();
  let acked = 0;
  let lost = 0;
  for (const sent of window) {
    if (sent.ackAt === 0) continue;
    acked += 1;
    ack.recordValue(toMicros(sent.ackAt - sent.intendedAt));
    if (sent.seenAt === 0) lost += 1;
    else {
      lag.recordValue(toMicros(sent.seenAt - sent.intendedAt));
      // A row may be seen before its ack arrives (the peer writes after acking, but acks travel too).
      ackToRow.recordValue(toMicros(sent.seenAt - sent.ackAt));
    }
  }
  return {
    sent: window.length,
    acked,
    refusals,
    ackMs: summarise(ack),
    lagMs: summarise(lag),
    ackToRowMs: summarise(ackToRow),
    lost,
  };
}

function generatorSaturation(
  generator: { cpuPercent: number; eventLoopDelayP99Ms: number },
  pollError: unknown,
): string | null {
  const saturated = saturation(generator);
  if (saturated) return saturated;
  if (pollError) return `the bench could not read Postgres: ${String(pollError)}`;
  return null;
}
