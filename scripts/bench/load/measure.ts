// Measuring windows of open-loop load over one or more rooms. A RoomLoad holds one room's
// connected clients; measureWindow sends each room's Poisson schedule and records, per
// delivery, the latency from the INTENDED send time and, per message, the time until the
// last receiver had it, with the CPU, memory and garbage collections of the server and of the generator.

import { monitorEventLoopDelay } from "node:perf_hooks";
import { type GcSummary, summariseGc, watchOwnGc } from "../systems/gc-trace.ts";
import type { BenchClient, PreparedRoom, RunningSystem } from "../systems/types.ts";
import { type Histogram, type LatencySummary, newHistogram, summarise, toMicros } from "./histogram.ts";
import { decodeBody, encodeBody } from "./message-body.ts";
import { ResourceSampler, type ResourceUsage } from "./proc-stats.ts";
import { poissonSchedule, seededRandom } from "./schedule.ts";

export interface LoadPlan {
  bodyBytes: number;
  /** Per room. */
  messagesPerSecond: number;
  durationMs: number;
  /** After the last intended send, how long to wait for stragglers at most. */
  drainMs: number;
  /** The same seed gives every system the same schedule (room i uses seed + i). */
  seed: number;
}

export type { LatencySummary } from "./histogram.ts";

export interface WindowResult {
  sent: number;
  expectedDeliveries: number;
  deliveries: number;
  /** Delivered ÷ expected (sent × clients in the room); 1 means nothing was lost. */
  deliveryRatio: number;
  /** Deliveries per second over the send window. */
  deliveredPerSecond: number;
  /** Sends the server refused, by error code (should be none). */
  refusals: Record<string, number>;
  /** Per delivery, in ms from the intended send time. */
  latencyMs: LatencySummary;
  /** Per message, in ms from the intended send time to the last receiver. */
  lastReceiverMs: LatencySummary;
  server: ResourceUsage;
  /** The server's garbage collections from the first send to the end of the drain; null when not traced. */
  serverGc: GcSummary | null;
  generator: ResourceUsage & { eventLoopDelayP99Ms: number };
  /** The generator's own collections in the same span. */
  generatorGc: GcSummary;
  /** Why these numbers do not describe the server (the generator saturated), or null. */
  invalidReason: string | null;
}

/** Above either, the generator (not the server) may be what limits the numbers. */
export const GENERATOR_CPU_LIMIT_PERCENT = 90;
export const EVENT_LOOP_DELAY_LIMIT_MS = 50;

const CONNECT_CONCURRENCY = 20;
const START_DELAY_MS = 50;

/** What a window records for one room's messages. */
interface RoomWindow {
  offsets: number[];
  startAt: number;
  deliveredCount: Uint32Array;
  lastArrival: Float64Array;
  deliveries: number;
  latency: Histogram;
}

/** One room's connected clients; deliveries count only while a window is open. */
export class RoomLoad {
  readonly clients: BenchClient[] = [];
  readonly maxSendsPerSecondPerClient: number;
  #window: RoomWindow | null = null;

  private constructor(maxSendsPerSecondPerClient: number) {
    this.maxSendsPerSecondPerClient = maxSendsPerSecondPerClient;
  }

  static async open(system: RunningSystem, clientCount: number): Promise<RoomLoad> {
    const room = await system.prepareRoom(clientCount);
    const load = new RoomLoad(room.maxSendsPerSecondPerClient);
    try {
      await load.#connect(room, clientCount);
    } catch (error) {
      load.close();
      throw error;
    }
    return load;
  }

  async #connect(room: PreparedRoom, count: number): Promise<void> {
    const onDelivery = (body: string, receivedAt: number) => this.#onDelivery(body, receivedAt);
    for (let first = 0; first < count; first += CONNECT_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, count - first) }, (_, offset) =>
        room.connect(first + offset, onDelivery),
      );
      // Keep the ones that opened even if one failed, so close() reaches them.
      const settled = await Promise.allSettled(batch);
      for (const outcome of settled) if (outcome.status === "fulfilled") this.clients.push(outcome.value);
      const failure = settled.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
    }
  }

  #onDelivery(body: string, receivedAt: number): void {
    const window = this.#window;
    const stamp = decodeBody(body);
    if (!window || !stamp || stamp.id >= window.offsets.length) return;
    window.deliveries += 1;
    window.deliveredCount[stamp.id] = (window.deliveredCount[stamp.id] ?? 0) + 1;
    window.lastArrival[stamp.id] = Math.max(window.lastArrival[stamp.id] ?? 0, receivedAt);
    window.latency.recordValue(toMicros(receivedAt - stamp.intendedAt));
  }

  open(window: RoomWindow): void {
    this.#window = window;
  }

  closeWindow(): void {
    this.#window = null;
  }

  close(): void {
    for (const client of this.clients) client.close();
  }
}

export async function measureWindow(
  system: RunningSystem,
  rooms: RoomLoad[],
  plan: LoadPlan,
): Promise<WindowResult> {
  for (const room of rooms) {
    const perClient = plan.messagesPerSecond / room.clients.length;
    if (perClient > room.maxSendsPerSecondPerClient)
      throw new Error(
        `${plan.messagesPerSecond} messages/s over ${room.clients.length} clients exceeds the per-client ` +
          `limit of ${room.maxSendsPerSecondPerClient}/s: use more clients or a lower rate`,
      );
  }
  const latency = newHistogram();
  const startAt = performance.now() + START_DELAY_MS;
  const windows = rooms.map((room, index) => {
    const offsets = poissonSchedule(plan.messagesPerSecond, plan.durationMs, seededRandom(plan.seed + index));
    const window: RoomWindow = {
      offsets,
      startAt,
      deliveredCount: new Uint32Array(offsets.length),
      lastArrival: new Float64Array(offsets.length),
      deliveries: 0,
      latency,
    };
    room.open(window);
    return { room, window };
  });

  const serverSampler = new ResourceSampler(system.serverPids, { includeDescendants: true });
  const generatorSampler = new ResourceSampler([process.pid], { includeDescendants: false });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const generatorGc = watchOwnGc();
  serverSampler.start();
  generatorSampler.start();
  loopDelay.enable();
  try {
    await Promise.all(
      windows.map(({ room, window }) =>
        sendOnSchedule(room.clients, window.offsets, startAt, plan.bodyBytes),
      ),
    );
    const expected = windows.reduce(
      (sum, { room, window }) => sum + window.offsets.length * room.clients.length,
      0,
    );
    const delivered = () => windows.reduce((sum, { window }) => sum + window.deliveries, 0);
    const drainUntil = performance.now() + plan.drainMs;
    while (delivered() < expected && performance.now() < drainUntil) await sleep(20);
  } finally {
    loopDelay.disable();
    for (const room of rooms) room.closeWindow();
  }
  const server = serverSampler.stop();
  const gcPauses = system.gcPauses(startAt, performance.now());
  const generatorPauses = (await generatorGc.stop()).filter((pause) => pause.at >= startAt);
  const generator = { ...generatorSampler.stop(), eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6 };

  const lastReceiver = newHistogram();
  const refusals: Record<string, number> = {};
  let sent = 0;
  let expected = 0;
  let deliveries = 0;
  for (const { room, window } of windows) {
    sent += window.offsets.length;
    expected += window.offsets.length * room.clients.length;
    deliveries += window.deliveries;
    for (const [id, offset] of window.offsets.entries()) {
      // Only messages every client received have a "last receiver"; the others are losses.
      if ((window.deliveredCount[id] ?? 0) >= room.clients.length)
        lastReceiver.recordValue(toMicros((window.lastArrival[id] ?? 0) - (startAt + offset)));
    }
    for (const client of room.clients)
      for (const [code, count] of client.refusals) refusals[code] = (refusals[code] ?? 0) + count;
  }
  return {
    sent,
    expectedDeliveries: expected,
    deliveries,
    deliveryRatio: expected === 0 ? 1 : deliveries / expected,
    deliveredPerSecond: deliveries / (plan.durationMs / 1000),
    refusals,
    latencyMs: summarise(latency),
    lastReceiverMs: summarise(lastReceiver),
    server,
    serverGc: gcPauses && summariseGc(gcPauses),
    generator,
    generatorGc: summariseGc(generatorPauses),
    invalidReason: generatorSaturation(generator),
  };
}

/** Why a window's numbers describe the generator rather than the server, or null. */
export function generatorSaturation(generator: {
  cpuPercent: number;
  eventLoopDelayP99Ms: number;
}): string | null {
  if (generator.cpuPercent > GENERATOR_CPU_LIMIT_PERCENT)
    return `generator saturated: ${generator.cpuPercent.toFixed(0)}% CPU`;
  if (generator.eventLoopDelayP99Ms > EVENT_LOOP_DELAY_LIMIT_MS)
    return `generator saturated: event-loop delay p99 ${generator.eventLoopDelayP99Ms.toFixed(0)} ms`;
  return null;
}

/**
 * Sends message i at (or as soon as possible after) startAt + offsets[i], round-robin over
 * the clients. The body carries the intended time, so sending late counts as latency.
 */
export async function sendOnSchedule(
  clients: BenchClient[],
  offsets: number[],
  startAt: number,
  bodyBytes: number,
): Promise<void> {
  for (const [id, offset] of offsets.entries()) {
    const intendedAt = startAt + offset;
    const wait = intendedAt - performance.now();
    if (wait > 1) await sleep(wait);
    clients[id % clients.length]?.send(encodeBody({ id, intendedAt }, bodyBytes));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
