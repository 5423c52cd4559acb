// Scenario 3, the reconnect storm: one room, a few senders that stay connected and send at
// a steady Poisson rate, and N receivers that all lose their TCP connection (terminated,
// no close handshake) at seeded random moments spread over one second, each reconnecting
// at once and resuming with its system's protocol (Chattr: `hello {lastSeq}`; the peer:
// Socket.IO's Connection State Recovery; the limit and the floor have none). Every
// message's identity is in its body, so each receiver's deliveries are counted per
// message over the whole window, across its disconnect: a message it never got is
// missed, one it got twice is a duplicate.
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { BenchClient, ReconnectOutcome, ResumableClient, RunningSystem } from "../systems/types.ts";
import { generatorSaturation, sendOnSchedule, sleep } from "./measure.ts";
import { decodeBody } from "./message-body.ts";
import { ResourceSampler, type ResourceUsage } from "./proc-stats.ts";
import { poissonSchedule, seededRandom } from "./schedule.ts";

export interface StormCase {
  /** Receivers: every one of them drops and reconnects. */
  clients: number;
  /** Clients that only send, and stay connected throughout. */
  senders: number;
  /** Into the room, spread round-robin over the senders. */
  messagesPerSecond: number;
  bodyBytes: number;
  /** Steady sending before the first drop. */
  beforeMs: number;
  /** The drops are spread over this long. */
  spreadMs: number;
  /** Sending goes on this long after the last drop may happen. */
  afterMs: number;
  /** After the last drop, how long to wait at most for every reconnect to end. */
  drainMs: number;
  seed: number;
}

export interface StormResult {
  /** False for systems without a resume protocol (limit, floor): their losses are expected. */
  resumes: boolean;
  sent: number;
  /** Reconnects by how they ended, plus `failed` (an error) and `pending` (not back when the run ended). */
  outcomes: Record<ReconnectOutcome | "failed" | "pending", number>;
  /** The distinct errors of failed reconnects (a few). */
  failures: string[];
  /** From the first drop until the last receiver was caught up (NaN when one never was). */
  allResumedMs: number;
  /** Per receiver, from its drop until it was caught up. */
  resumeMs: { p50: number; p99: number; max: number };
  /** Messages some receiver never got, summed over receivers (those told to `resync` apart). */
  missed: number;
  /** Messages the receivers told to `resync` never got: theirs to page over HTTP, not lost. */
  toPage: number;
  /** Receivers that missed at least one message. */
  clientsMissing: number;
  /** Bytes each receiver got on average from the first send to the end (messages, presence, the rest). */
  receivedBytesPerClient: number;
  /** Extra deliveries of a message to a receiver that already had it. */
  duplicates: number;
  /** Sends the server refused, by error code (should be none). */
  refusals: Record<string, number>;
  server: ResourceUsage;
  generator: ResourceUsage & { eventLoopDelayP99Ms: number };
  invalidReason: string | null;
}

const CONNECT_CONCURRENCY = 20;
const SETTLE_MS = 500;
const START_DELAY_MS = 50;
/** After the reconnects ended, how long to wait at most for messages still on their way. */
const GRACE_MS = 2_000;

interface Receiver {
  client: ResumableClient | undefined;
  /** Deliveries per message id (saturating at 255). */
  received: Uint8Array;
  droppedAt: number;
  resumedAt: number;
  outcome: ReconnectOutcome | "failed" | undefined;
  failure?: string;
}

export async function runStorm(system: RunningSystem, storm: StormCase): Promise<StormResult> {
  const room = await system.prepareRoom(storm.senders + storm.clients);
  const connectResumable = room.connectResumable;
  if (!connectResumable) throw new Error("this system has no resumable client");
  if (storm.messagesPerSecond / storm.senders > room.maxSendsPerSecondPerClient)
    throw new Error(
      `${storm.messagesPerSecond} messages/s over ${storm.senders} senders exceeds the per-client ` +
        `limit of ${room.maxSendsPerSecondPerClient}/s: use more senders or a lower rate`,
    );
  const random = seededRandom(storm.seed);
  const offsets = poissonSchedule(
    storm.messagesPerSecond,
    storm.beforeMs + storm.spreadMs + storm.afterMs,
    random,
  );
  const receivers: Receiver[] = Array.from({ length: storm.clients }, () => ({
    client: undefined,
    received: new Uint8Array(offsets.length),
    droppedAt: Number.NaN,
    resumedAt: Number.NaN,
    outcome: undefined,
  }));
  // Each receiver's moment to drop, within the spread (the same for every system).
  const dropOffsets = receivers.map(() => random() * storm.spreadMs);
  const senders: BenchClient[] = [];
  /** Set once a reconnect has begun: the run may not end before they all settle. */
  const reconnects: Promise<void>[] = [];
  const timers: NodeJS.Timeout[] = [];
  const serverSampler = new ResourceSampler(system.serverPids, { includeDescendants: true });
  const generatorSampler = new ResourceSampler([process.pid], { includeDescendants: false });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  try {
    // Resumable clients too (never dropped) for their keep-alive: setting up a big storm can
    // take longer than Chattr lets a silent socket live.
    for (let index = 0; index < storm.senders; index++) senders.push(await connectResumable(index, () => {}));
    for (let first = 0; first < storm.clients; first += CONNECT_CONCURRENCY) {
      const batch = receivers.slice(first, first + CONNECT_CONCURRENCY);
      const settled = await Promise.allSettled(
        batch.map(async (receiver, offset) => {
          receiver.client = await connectResumable(storm.senders + first + offset, (body) => {
            const stamp = decodeBody(body);
            if (stamp && stamp.id < offsets.length && (receiver.received[stamp.id] ?? 0) < 255)
              receiver.received[stamp.id] = (receiver.received[stamp.id] ?? 0) + 1;
          });
        }),
      );
      const failure = settled.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
    }
    await sleep(SETTLE_MS);

    serverSampler.start();
    generatorSampler.start();
    loopDelay.enable();
    const bytesBefore = totalReceivedBytes(receivers);
    const startAt = performance.now() + START_DELAY_MS;
    const stormAt = startAt + storm.beforeMs;
    for (const [index, receiver] of receivers.entries())
      timers.push(
        setTimeout(
          () => reconnects.push(dropAndReconnect(receiver)),
          stormAt + (dropOffsets[index] ?? 0) - performance.now(),
        ),
      );
    await sendOnSchedule(senders, offsets, startAt, storm.bodyBytes);
    // Every drop has happened by now (the spread ends before the last send).
    await sleep(Math.max(0, stormAt + storm.spreadMs - performance.now()) + 1);
    await settledWithin(Promise.all(reconnects), storm.drainMs);
    // Then a little longer for messages still on their way (the limit and the floor never get theirs).
    const drainUntil = performance.now() + GRACE_MS;
    while (!receivers.every((receiver) => receiver.received.every((count) => count > 0))) {
      if (performance.now() >= drainUntil) break;
      await sleep(20);
    }
    loopDelay.disable();
    const server = serverSampler.stop();
    const generator = { ...generatorSampler.stop(), eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6 };
    const receivedBytesPerClient = (totalReceivedBytes(receivers) - bytesBefore) / receivers.length;
    return { ...summarise(receivers, senders, offsets.length, server, generator), receivedBytesPerClient };
  } finally {
    loopDelay.disable();
    serverSampler.stop();
    generatorSampler.stop();
    for (const timer of timers) clearTimeout(timer);
    for (const sender of senders) sender.close();
    for (const receiver of receivers) receiver.client?.close();
  }

  async function dropAndReconnect(receiver: Receiver): Promise<void> {
    const client = receiver.client;
    if (!client) return;
    receiver.droppedAt = performance.now();
    try {
      client.drop();
      const outcome = await client.reconnect();
      receiver.resumedAt = performance.now();
      receiver.outcome = outcome;
    } catch (error) {
      receiver.outcome = "failed";
      receiver.failure = error instanceof Error ? error.message : String(error);
    }
  }
}

/** Waits for `promise`, but no longer than `ms` (and leaves no timer behind). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function totalReceivedBytes(receivers: Receiver[]): number {
  return receivers.reduce((sum, receiver) => sum + (receiver.client?.receivedBytes() ?? 0), 0);
}

function summarise(
  receivers: Receiver[],
  senders: BenchClient[],
  sent: number,
  server: ResourceUsage,
  generator: ResourceUsage & { eventLoopDelayP99Ms: number },
): Omit<StormResult, "receivedBytesPerClient"> {
  const outcomes: StormResult["outcomes"] = {
    resumed: 0,
    resync: 0,
    not_recovered: 0,
    no_resume: 0,
    failed: 0,
    pending: 0,
  };
  const failures = new Set<string>();
  let missed = 0;
  let toPage = 0;
  let clientsMissing = 0;
  let duplicates = 0;
  const resumeTimes: number[] = [];
  for (const receiver of receivers) {
    outcomes[receiver.outcome ?? "pending"] += 1;
    if (receiver.failure && failures.size < 3) failures.add(receiver.failure);
    if (Number.isFinite(receiver.resumedAt)) resumeTimes.push(receiver.resumedAt - receiver.droppedAt);
    let missing = 0;
    for (const count of receiver.received) {
      if (count === 0) missing += 1;
      else duplicates += count - 1;
    }
    if (receiver.outcome === "resync") toPage += missing;
    else {
      missed += missing;
      if (missing > 0) clientsMissing += 1;
    }
  }
  resumeTimes.sort((a, b) => a - b);
  const firstDrop = Math.min(...receivers.map((receiver) => receiver.droppedAt));
  const lastResume = Math.max(...receivers.map((receiver) => receiver.resumedAt));
  const refusals: Record<string, number> = {};
  for (const sender of senders)
    for (const [code, count] of sender.refusals) refusals[code] = (refusals[code] ?? 0) + count;
  return {
    resumes: outcomes.no_resume === 0,
    sent,
    outcomes,
    failures: [...failures],
    allResumedMs: resumeTimes.length === receivers.length ? lastResume - firstDrop : Number.NaN,
    resumeMs: {
      p50: percentile(resumeTimes, 50),
      p99: percentile(resumeTimes, 99),
      max: resumeTimes.at(-1) ?? Number.NaN,
    },
    missed,
    toPage,
    clientsMissing,
    duplicates,
    refusals,
    server,
    generator,
    invalidReason: generatorSaturation(generator),
  };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
