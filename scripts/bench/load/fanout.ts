// Scenario 1, fan-out in one room: N clients in one room, Poisson sends spread over the
// clients, every client receives every message (its own included). Per delivery: latency
// from the INTENDED send time; per message: time until the last receiver had it.
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as hdr from "hdr-histogram-js";
import type { BenchClient, PreparedRoom, RunningSystem } from "../systems/types.ts";
import { decodeBody, encodeBody } from "./message-body.ts";
import { ResourceSampler, type ResourceUsage } from "./proc-stats.ts";
import { poissonSchedule, seededRandom } from "./schedule.ts";

export interface FanoutCase {
  clients: number;
  bodyBytes: number;
  messagesPerSecond: number;
  durationMs: number;
  /** After the last intended send, how long to wait for stragglers at most. */
  drainMs: number;
  /** The same seed gives every system the same schedule. */
  seed: number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export interface FanoutResult {
  case: FanoutCase;
  sent: number;
  expectedDeliveries: number;
  deliveries: number;
  /** Delivered ÷ expected (sent × clients); 1 means nothing was lost. */
  deliveryRatio: number;
  /** Sends the server refused, by error code (should be none). */
  refusals: Record<string, number>;
  /** Per delivery, in ms from the intended send time. */
  latencyMs: LatencySummary;
  /** Per message, in ms from the intended send time to the last receiver. */
  lastReceiverMs: LatencySummary;
  server: ResourceUsage;
  generator: ResourceUsage & { eventLoopDelayP99Ms: number };
  /** Why these numbers do not describe the server (the generator saturated), or null. */
  invalidReason: string | null;
}

/** Above either, the generator (not the server) may be what limits the numbers. */
export const GENERATOR_CPU_LIMIT_PERCENT = 90;
export const EVENT_LOOP_DELAY_LIMIT_MS = 50;

const CONNECT_CONCURRENCY = 20;
/** Lets join and presence traffic die down before measuring. */
const SETTLE_MS = 500;
const START_DELAY_MS = 50;

export async function runFanout(system: RunningSystem, fanout: FanoutCase): Promise<FanoutResult> {
  const room = await system.prepareRoom(fanout.clients);
  const perClientRate = fanout.messagesPerSecond / fanout.clients;
  if (perClientRate > room.maxSendsPerSecondPerClient) {
    throw new Error(
      `${fanout.messagesPerSecond} messages/s over ${fanout.clients} clients exceeds the per-client limit ` +
        `of ${room.maxSendsPerSecondPerClient}/s: use more clients or a lower rate`,
    );
  }
  const offsets = poissonSchedule(fanout.messagesPerSecond, fanout.durationMs, seededRandom(fanout.seed));
  const latency = newHistogram();
  const lastReceiver = newHistogram();
  const deliveredCount = new Uint32Array(offsets.length);
  const lastArrival = new Float64Array(offsets.length);
  let deliveries = 0;
  let measuring = false;

  const onDelivery = (body: string, receivedAt: number) => {
    const stamp = decodeBody(body);
    if (!stamp || !measuring || stamp.id >= offsets.length) return;
    deliveries += 1;
    deliveredCount[stamp.id] = (deliveredCount[stamp.id] ?? 0) + 1;
    lastArrival[stamp.id] = Math.max(lastArrival[stamp.id] ?? 0, receivedAt);
    latency.recordValue(toMicros(receivedAt - stamp.intendedAt));
  };

  const clients = await connectAll(room, fanout.clients, onDelivery);
  try {
    await sleep(SETTLE_MS);
    const serverSampler = new ResourceSampler(system.serverPids, { includeDescendants: true });
    const generatorSampler = new ResourceSampler([process.pid], { includeDescendants: false });
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    measuring = true;
    serverSampler.start();
    generatorSampler.start();
    loopDelay.enable();

    const startAt = performance.now() + START_DELAY_MS;
    await sendOnSchedule(clients, offsets, startAt, fanout.bodyBytes);
    const expected = offsets.length * fanout.clients;
    const drainUntil = performance.now() + fanout.drainMs;
    while (deliveries < expected && performance.now() < drainUntil) await sleep(20);

    loopDelay.disable();
    const server = serverSampler.stop();
    const generator = {
      ...generatorSampler.stop(),
      eventLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    };
    measuring = false;

    for (const [id, offset] of offsets.entries()) {
      // Only messages every client received have a "last receiver"; the others are losses.
      if ((deliveredCount[id] ?? 0) >= fanout.clients)
        lastReceiver.recordValue(toMicros((lastArrival[id] ?? 0) - (startAt + offset)));
    }
    const refusals: Record<string, number> = {};
    for (const client of clients)
      for (const [code, count] of client.refusals) refusals[code] = (refusals[code] ?? 0) + count;

    return {
      case: fanout,
      sent: offsets.length,
      expectedDeliveries: expected,
      deliveries,
      deliveryRatio: expected === 0 ? 1 : deliveries / expected,
      refusals,
      latencyMs: summarise(latency),
      lastReceiverMs: summarise(lastReceiver),
      server,
      generator,
      invalidReason: generatorSaturation(generator),
    };
  } finally {
    for (const client of clients) client.close();
  }
}

function generatorSaturation(generator: { cpuPercent: number; eventLoopDelayP99Ms: number }): string | null {
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
async function sendOnSchedule(
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

async function connectAll(
  room: PreparedRoom,
  count: number,
  onDelivery: (body: string, receivedAt: number) => void,
): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  try {
    for (let first = 0; first < count; first += CONNECT_CONCURRENCY) {
      const batch = Array.from({ length: Math.min(CONNECT_CONCURRENCY, count - first) }, (_, offset) =>
        room.connect(first + offset, onDelivery),
      );
      // Keep the ones that opened even if one fails, so they are closed below.
      const settled = await Promise.allSettled(batch);
      for (const outcome of settled) if (outcome.status === "fulfilled") clients.push(outcome.value);
      const failure = settled.find((outcome) => outcome.status === "rejected");
      if (failure) throw failure.reason;
    }
    return clients;
  } catch (error) {
    for (const client of clients) client.close();
    throw error;
  }
}

function newHistogram(): hdr.Histogram {
  // Microseconds, 1 µs to 1 hour, 3 significant digits.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
}

function toMicros(ms: number): number {
  return Math.max(1, Math.round(ms * 1000));
}

function summarise(histogram: hdr.Histogram): LatencySummary {
  if (histogram.totalCount === 0)
    return { p50: Number.NaN, p99: Number.NaN, p999: Number.NaN, max: Number.NaN };
  return {
    p50: histogram.getValueAtPercentile(50) / 1000,
    p99: histogram.getValueAtPercentile(99) / 1000,
    p999: histogram.getValueAtPercentile(99.9) / 1000,
    max: histogram.maxValue / 1000,
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
