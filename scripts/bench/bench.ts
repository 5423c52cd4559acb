// The benchmark run: starts every system once, then measures each case on every system in
// turn (the starting system rotates from case to case, so none always runs first or on a
// machine warmed by the others), and writes the report.
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { type FanoutCase, type FanoutResult, runFanout } from "./load/fanout.ts";
import { renderMarkdown, renderTable } from "./report/markdown.ts";
import { SYSTEMS } from "./systems/index.ts";
import { hasTaskset, pinThisProcess } from "./systems/server-process.ts";
import type { RunningSystem, SystemName } from "./systems/types.ts";

export type BenchMode = "quick" | "full";

export interface BenchOptions {
  mode: BenchMode;
  systems: SystemName[];
  /** Where to write the Markdown report; nothing is written when null. */
  outFile: string | null;
  /** Replaces the mode's fan-out cases (the smoke test uses a tiny one). */
  fanoutCases?: FanoutCase[];
  verbose?: boolean;
  /** Pin this process and the servers to different CPUs (default true; tests share the machine, so they do not). */
  pin?: boolean;
  log?: (line: string) => void;
}

export interface FanoutMeasurement {
  system: SystemName;
  result: FanoutResult;
}

export interface BenchReport {
  mode: BenchMode;
  startedAt: Date;
  /** How the generator and servers were kept apart, for the report. */
  pinning: string;
  systems: SystemName[];
  fanout: FanoutMeasurement[];
}

const GENERATOR_CPU = 0;
const SERVER_CPU = 1;

/** Fan-out rate: at most 10 messages/s, and never more than 4 per client per second (Chattr's flood limit is 5/s). */
export function fanoutRate(clients: number): number {
  return Math.min(10, 4 * clients);
}

export function fanoutCases(mode: BenchMode): FanoutCase[] {
  const quick = mode === "quick";
  const clientCounts = quick ? [2, 50] : [2, 50, 200, 1000];
  const bodySizes = quick ? [100] : [100, 1024];
  const cases: FanoutCase[] = [];
  for (const clients of clientCounts)
    for (const bodyBytes of bodySizes)
      cases.push({
        clients,
        bodyBytes,
        messagesPerSecond: fanoutRate(clients),
        durationMs: quick ? 3_000 : 15_000,
        drainMs: quick ? 3_000 : 10_000,
        seed: 1_000 + cases.length,
      });
  return cases;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const pinned = (options.pin ?? true) && canPin() && pinThisProcess(GENERATOR_CPU);
  const pinning = pinned
    ? `generator on CPU ${GENERATOR_CPU}, servers on CPU ${SERVER_CPU} (taskset)`
    : `not pinned (${whyNotPinned(options.pin ?? true)}): generator and servers share CPUs`;
  log(`pinning: ${pinning}`);
  const report: BenchReport = {
    mode: options.mode,
    startedAt: new Date(),
    pinning,
    systems: options.systems,
    fanout: [],
  };

  const running = new Map<SystemName, RunningSystem>();
  try {
    for (const name of options.systems) {
      const system = SYSTEMS[name];
      if (!system) throw new Error(`system ${name} is not implemented yet`);
      log(`starting ${name}…`);
      running.set(
        name,
        await system.start({ serverCpu: pinned ? SERVER_CPU : undefined, verbose: options.verbose ?? false }),
      );
    }
    const cases = options.fanoutCases ?? fanoutCases(options.mode);
    for (const [index, fanout] of cases.entries()) {
      for (const name of rotate(options.systems, index)) {
        const system = running.get(name);
        if (!system) continue;
        log(
          `fan-out ${name}: ${fanout.clients} clients, ${fanout.bodyBytes} B, ${fanout.messagesPerSecond}/s…`,
        );
        report.fanout.push({ system: name, result: await runFanout(system, fanout) });
      }
    }
  } finally {
    for (const [name, system] of running) {
      log(`stopping ${name}`);
      await system.stop();
    }
  }
  log("");
  log(renderTable(report));
  if (options.outFile) {
    writeFileSync(options.outFile, renderMarkdown(report));
    log(`\nwrote ${options.outFile}`);
  }
  return report;
}

function canPin(): boolean {
  return hasTaskset() && availableParallelism() >= 2;
}

function whyNotPinned(asked: boolean): string {
  if (!asked) return "not asked to";
  if (!hasTaskset()) return "no taskset";
  if (availableParallelism() < 2) return "fewer than 2 CPUs";
  return "taskset failed";
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
