// The scenarios of issue 6 that exist so far, each as cases any system can run.
import type { RunningSystem } from "../systems/types.ts";
import { type LoadPlan, measureWindow, RoomLoad, sleep, type WindowResult } from "./measure.ts";

/** Lets join and presence traffic die down before measuring. */
const SETTLE_MS = 500;

// ---- 1. fan-out in one room --------------------------------------------------------------

export interface FanoutCase extends LoadPlan {
  clients: number;
}

/** Every client is in one room and receives every message, its own included. */
export async function runFanout(system: RunningSystem, fanout: FanoutCase): Promise<WindowResult> {
  const room = await RoomLoad.open(system, fanout.clients);
  try {
    await sleep(SETTLE_MS);
    return await measureWindow(system, [room], fanout);
  } finally {
    room.close();
  }
}

// ---- 2. saturation -----------------------------------------------------------------------

export interface SaturationCase {
  clients: number;
  bodyBytes: number;
  /** Offered messages/s per step, ascending; the run stops at the first failing step. */
  rates: number[];
  stepMs: number;
  drainMs: number;
  seed: number;
  /** A step passes with p99 under this, every message delivered, and a valid generator. */
  p99LimitMs: number;
}

export interface SaturationStep {
  messagesPerSecond: number;
  result: WindowResult;
  /** Why the step failed, or null when it passed. */
  failure: string | null;
}

export interface SaturationResult {
  steps: SaturationStep[];
  /** The highest passing step, or null when even the first failed. */
  best: SaturationStep | null;
  /** Why stepping stopped. */
  stoppedBecause: string;
}

/** Steps the offered rate up in one room until p99 or delivery fails; the last passing step is the result. */
export async function runSaturation(
  system: RunningSystem,
  saturation: SaturationCase,
): Promise<SaturationResult> {
  const room = await RoomLoad.open(system, saturation.clients);
  const steps: SaturationStep[] = [];
  let stoppedBecause = "reached the highest step";
  try {
    await sleep(SETTLE_MS);
    for (const [index, messagesPerSecond] of saturation.rates.entries()) {
      if (messagesPerSecond / saturation.clients > room.maxSendsPerSecondPerClient) {
        stoppedBecause = `the next step (${messagesPerSecond}/s) exceeds the per-client send limit`;
        break;
      }
      const result = await measureWindow(system, [room], {
        bodyBytes: saturation.bodyBytes,
        messagesPerSecond,
        durationMs: saturation.stepMs,
        drainMs: saturation.drainMs,
        seed: saturation.seed + index,
      });
      const failure = stepFailure(result, saturation.p99LimitMs);
      steps.push({ messagesPerSecond, result, failure });
      if (failure) {
        stoppedBecause = `${messagesPerSecond}/s failed: ${failure}`;
        break;
      }
    }
  } finally {
    room.close();
  }
  return { steps, best: steps.filter((step) => step.failure === null).at(-1) ?? null, stoppedBecause };
}

function stepFailure(result: WindowResult, p99LimitMs: number): string | null {
  if (result.invalidReason) return result.invalidReason;
  if (result.deliveryRatio < 1) return `delivered ${(100 * result.deliveryRatio).toFixed(2)}%`;
  if (!(result.latencyMs.p99 < p99LimitMs)) return `p99 ${result.latencyMs.p99.toFixed(0)} ms`;
  return null;
}

// ---- 5. many rooms ------------------------------------------------------------------------

export interface ManyRoomsCase {
  rooms: number;
  clientsPerRoom: number;
  sendsPerClientPerSecond: number;
  bodyBytes: number;
  durationMs: number;
  drainMs: number;
  seed: number;
}

/** Many independent rooms at once, each client sending at a steady mean rate. */
export async function runManyRooms(system: RunningSystem, manyRooms: ManyRoomsCase): Promise<WindowResult> {
  const rooms: RoomLoad[] = [];
  try {
    for (let index = 0; index < manyRooms.rooms; index++)
      rooms.push(await RoomLoad.open(system, manyRooms.clientsPerRoom));
    await sleep(SETTLE_MS);
    return await measureWindow(system, rooms, {
      bodyBytes: manyRooms.bodyBytes,
      messagesPerSecond: manyRooms.clientsPerRoom * manyRooms.sendsPerClientPerSecond,
      durationMs: manyRooms.durationMs,
      drainMs: manyRooms.drainMs,
      seed: manyRooms.seed,
    });
  } finally {
    for (const room of rooms) room.close();
  }
}
