// The benchmark run: starts every system once, then measures each case on every system in
// turn (the starting system rotates from case to case, so none always runs first or on a
// machine warmed by the others), and writes the report.
import { writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { type BadgeCase, type BadgeResult, runBadges } from "./load/badges.ts";
import {
  type JoinFloodCase,
  type JoinFloodResult,
  type RoomListCase,
  type RoomListResult,
  runJoinFlood,
  runRoomList,
} from "./load/limits.ts";
import type { WindowResult } from "./load/measure.ts";
import { type PersistenceCase, type PersistenceResult, runPersistence } from "./load/persistence.ts";
import { ResourceSampler } from "./load/proc-stats.ts";
import { runStorm, type StormCase, type StormResult } from "./load/reconnect-storm.ts";
import {
  type FanoutCase,
  type ManyRoomsCase,
  runFanout,
  runManyRooms,
  runSaturation,
  type SaturationCase,
  type SaturationResult,
} from "./load/scenarios.ts";
import { runWebApp, type WebAppCase, type WebAppResult } from "./load/web-app.ts";
import { renderMarkdown, renderTables } from "./report/markdown.ts";
import { SYSTEMS } from "./systems/index.ts";
import { canYieldCpu, hasTaskset, pinThisProcess } from "./systems/server-process.ts";
import type { RunningSystem, SystemName } from "./systems/types.ts";

export type BenchMode = "quick" | "full";
export type ScenarioName =
  | "fanout"
  | "saturation"
  | "storm"
  | "persistence"
  | "rooms"
  | "web"
  | "limits"
  | "badges";
export const SCENARIOS: readonly ScenarioName[] = [
  "fanout",
  "saturation",
  "storm",
  "persistence",
  "rooms",
  "web",
  "limits",
  "badges",
];

export interface BenchCases {
  fanout: FanoutCase[];
  saturation: SaturationCase[];
  rooms: ManyRoomsCase[];
  storm: StormCase[];
  web: WebAppCase[];
  persistence: PersistenceCase[];
  roomList: RoomListCase[];
  joinFlood: JoinFloodCase[];
  badges: BadgeCase[];
}

export interface BenchOptions {
  mode: BenchMode;
  systems: SystemName[];
  /** Which scenarios to run (all by default). */
  scenarios?: readonly ScenarioName[];
  /** Where to write the Markdown report; nothing is written when null. */
  outFile: string | null;
  /** Replaces some of the mode's cases (the smoke test uses a tiny fan-out). */
  cases?: Partial<BenchCases>;
  verbose?: boolean;
  /** Pin this process and the servers to different CPUs (default true; tests share the machine, so they do not). */
  pin?: boolean;
  log?: (line: string) => void;
}

export interface Measured<Case, Result> {
  system: SystemName;
  case: Case;
  result: Result;
}

export interface BenchReport {
  mode: BenchMode;
  startedAt: Date;
  /** How the generator and servers were kept apart, for the report. */
  pinning: string;
  systems: SystemName[];
  scenarios: readonly ScenarioName[];
  fanout: Measured<FanoutCase, WindowResult>[];
  saturation: Measured<SaturationCase, SaturationResult>[];
  rooms: Measured<ManyRoomsCase, WindowResult>[];
  storm: Measured<StormCase, StormResult>[];
  /** Only systems with a web app (Chattr). */
  web: Measured<WebAppCase, WebAppResult>[];
  persistence: Measured<PersistenceCase, PersistenceResult>[];
  /** Issue 15's cases (Chattr only): the room list, and other requests while guesses are hashed. */
  roomList: Measured<RoomListCase, RoomListResult>[];
  joinFlood: Measured<JoinFloodCase, JoinFloodResult>[];
  /** Issue 16's case (Chattr only): live unread badges on members' hubs. */
  badges: Measured<BadgeCase, BadgeResult>[];
  /** Rows each system that can be asked (the peer) had written to Postgres at the end. */
  storedMessages: Partial<Record<SystemName, number>>;
  /** Cases that failed on a system (the run goes on without them). */
  failures: string[];
}

const GENERATOR_CPU = 0;
const SERVER_CPU = 1;

/** Fan-out rate: at most 10 messages/s, and never more than 4 per client per second (Chattr's flood limit is 5/s). */
export function fanoutRate(clients: number): number {
  return Math.min(10, 4 * clients);
}

export function benchCases(mode: BenchMode): BenchCases {
  const quick = mode === "quick";
  const fanout: FanoutCase[] = [];
  for (const clients of quick ? [2, 50] : [2, 50, 200, 1000])
    for (const bodyBytes of quick ? [100] : [100, 1024])
      fanout.push({
        clients,
        bodyBytes,
        messagesPerSecond: fanoutRate(clients),
        durationMs: quick ? 1_000 : 10_000,
        drainMs: quick ? 2_000 : 5_000,
        seed: 1_000 + fanout.length,
      });
  const saturation: SaturationCase[] = [
    {
      clients: 200,
      bodyBytes: 100,
      // Messages/s into the room; each is delivered to all 200 clients.
      rates: quick ? [10, 40, 160, 640] : [10, 20, 40, 60, 80, 120, 160, 240, 320, 480, 640, 800],
      stepMs: quick ? 1_000 : 5_000,
      drainMs: quick ? 1_500 : 3_000,
      seed: 2_000,
      p99LimitMs: 250,
    },
  ];
  const rooms: ManyRoomsCase[] = [
    {
      rooms: quick ? 10 : 50,
      clientsPerRoom: 20,
      sendsPerClientPerSecond: 1,
      bodyBytes: 100,
      durationMs: quick ? 1_000 : 10_000,
      drainMs: quick ? 2_000 : 5_000,
      seed: 3_000,
    },
  ];
  const storm: StormCase[] = [
    {
      clients: quick ? 100 : 1000,
      // 10 messages/s over 4 senders: 2.5/s each, under Chattr's flood limit.
      senders: 4,
      messagesPerSecond: 10,
      bodyBytes: 100,
      beforeMs: quick ? 500 : 2_000,
      spreadMs: 1_000,
      afterMs: quick ? 1_000 : 5_000,
      // Long enough for every reconnect to end (each gives up after 30 s).
      drainMs: quick ? 35_000 : 60_000,
      seed: 4_000,
    },
  ];
  const web: WebAppCase[] = [{ messages: 50, runs: quick ? 3 : 20, viewport: { width: 1280, height: 800 } }];
  const persistence: PersistenceCase[] = [
    {
      messagesPerSecond: 1_000,
      // 3.3 sends/s each, under Chattr's flood limit of 5/s per user.
      senders: 300,
      receivers: 2,
      bodyBytes: 100,
      steadyMs: quick ? 1_000 : 20_000,
      beforeOutageMs: quick ? 1_000 : 5_000,
      outageMs: quick ? 2_000 : 30_000,
      afterOutageMs: quick ? 1_000 : 10_000,
      // Chattr's flush backoff doubles up to 10 s: after a 30 s outage the next try is at most ~10 s away.
      catchUpLimitMs: quick ? 20_000 : 120_000,
      pollMs: 25,
      seed: 4_000,
    },
  ];
  // One reader at a time (a person opening the list), then four at once: the embedded
  // Postgres runs one backend, so concurrent readers queue there.
  const roomList: RoomListCase[] = [1, 4].map((concurrency) => ({
    rooms: 1_000,
    requests: quick ? 100 : 500,
    concurrency,
  }));
  const joinFlood: JoinFloodCase[] = [{ joins: 60, healthEveryMs: 20 }];
  // Members with the app open while one of them writes at the room's steady rate (5 a second).
  const badges: BadgeCase[] = [{ members: quick ? 10 : 50, messages: quick ? 20 : 100, intervalMs: 200 }];
  return { fanout, saturation, storm, persistence, rooms, web, roomList, joinFlood, badges };
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const pinned = (options.pin ?? true) && canPin() && pinThisProcess(GENERATOR_CPU);
  const placement = pinned
    ? `generator on CPU ${GENERATOR_CPU}, servers on CPU ${SERVER_CPU} (taskset)`
    : `not pinned (${whyNotPinned(options.pin ?? true)}): generator and servers share CPUs`;
  // The databases yield to the servers whether or not anything is pinned (yieldCpuToServers).
  const pinning = canYieldCpu
    ? `${placement}; the Postgres instances the bench starts run at the lowest priority (nice 19)`
    : placement;
  log(`pinning: ${pinning}`);
  const scenarios = options.scenarios ?? SCENARIOS;
  const cases = { ...benchCases(options.mode), ...options.cases };
  const report: BenchReport = {
    mode: options.mode,
    startedAt: new Date(),
    pinning,
    systems: options.systems,
    scenarios,
    fanout: [],
    saturation: [],
    rooms: [],
    storm: [],
    web: [],
    persistence: [],
    roomList: [],
    joinFlood: [],
    badges: [],
    storedMessages: {},
    failures: [],
  };

  const running = new Map<SystemName, RunningSystem>();
  // Every case on every system, the first system rotating from one case to the next.
  let turn = 0;
  async function eachSystem(
    what: string,
    measure: (system: RunningSystem, name: SystemName) => Promise<void>,
  ) {
    for (const name of rotate(options.systems, turn++)) {
      const system = running.get(name);
      if (!system) continue;
      await quiesce(running, log);
      log(`${what}: ${name}…`);
      try {
        await measure(system, name);
      } catch (error) {
        // One case failing on one system (e.g. a timeout) should not cost the whole run.
        const failure = `${what} on ${name}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
        log(`  FAILED: ${failure}`);
        report.failures.push(failure);
      }
    }
  }
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
    if (scenarios.includes("fanout"))
      for (const fanout of cases.fanout)
        await eachSystem(`fan-out ${fanout.clients} clients, ${fanout.bodyBytes} B`, async (system, name) => {
          report.fanout.push({ system: name, case: fanout, result: await runFanout(system, fanout) });
        });
    if (scenarios.includes("saturation"))
      for (const saturation of cases.saturation)
        await eachSystem(`saturation ${saturation.clients} clients`, async (system, name) => {
          report.saturation.push({
            system: name,
            case: saturation,
            result: await runSaturation(system, saturation),
          });
        });
    if (scenarios.includes("storm"))
      for (const storm of cases.storm)
        await eachSystem(`reconnect storm, ${storm.clients} clients`, async (system, name) => {
          report.storm.push({ system: name, case: storm, result: await runStorm(system, storm) });
        });
    if (scenarios.includes("persistence"))
      for (const persistence of cases.persistence)
        await eachSystem(
          `persistence ${persistence.messagesPerSecond} msg/s, ${persistence.outageMs / 1000} s outage`,
          async (system, name) => {
            // Only systems with storage take part (the limit and the floor have none).
            if (!system.database) return log(`  ${name} has no Postgres: skipped`);
            report.persistence.push({
              system: name,
              case: persistence,
              result: await runPersistence(system, persistence),
            });
          },
        );
    if (scenarios.includes("rooms"))
      for (const rooms of cases.rooms)
        await eachSystem(`${rooms.rooms} rooms × ${rooms.clientsPerRoom} clients`, async (system, name) => {
          report.rooms.push({ system: name, case: rooms, result: await runManyRooms(system, rooms) });
        });
    if (scenarios.includes("web"))
      for (const web of cases.web)
        await eachSystem(`web app, ${web.runs} page loads`, async (system, name) => {
          if (system.webApp)
            report.web.push({ system: name, case: web, result: await runWebApp(system.webApp, web, log) });
        });
    if (scenarios.includes("limits")) {
      for (const listCase of cases.roomList)
        await eachSystem(`room list, ${listCase.rooms} public rooms`, async (system, name) => {
          if (system.webApp && system.database)
            report.roomList.push({
              system: name,
              case: listCase,
              result: await runRoomList(system, listCase),
            });
        });
      for (const flood of cases.joinFlood)
        await eachSystem(`/api/health during ${flood.joins} wrong joins`, async (system, name) => {
          if (system.webApp)
            report.joinFlood.push({ system: name, case: flood, result: await runJoinFlood(system, flood) });
        });
    }
    if (scenarios.includes("badges"))
      for (const badgeCase of cases.badges)
        await eachSystem(`live badges, ${badgeCase.members} members`, async (system, name) => {
          if (system.webApp && system.database)
            report.badges.push({ system: name, case: badgeCase, result: await runBadges(system, badgeCase) });
        });
  } finally {
    for (const [name, system] of running) {
      try {
        const stored = await system.storedMessages?.();
        if (stored !== undefined) report.storedMessages[name] = stored;
      } catch (error) {
        log(`could not count ${name}'s stored messages: ${String(error)}`);
      }
      log(`stopping ${name}`);
      await system.stop();
    }
  }
  log("");
  log(renderTables(report));
  if (options.outFile) {
    writeFileSync(options.outFile, renderMarkdown(report));
    log(`\nwrote ${options.outFile}`);
  }
  return report;
}

/** Below this, summed over every running system's processes, the servers' CPU counts as idle. */
const QUIET_CPU_PERCENT = 10;
const QUIET_WINDOW_MS = 500;
const QUIET_WAIT_LIMIT_MS = 30_000;

/**
 * Waits until no system is still working off an earlier case (a saturation step that
 * overloaded it leaves a backlog for seconds), so that it cannot slow down the next
 * measurement on the shared server CPU. Gives up, saying so, after 30 s.
 */
async function quiesce(running: Map<SystemName, RunningSystem>, log: (line: string) => void): Promise<void> {
  const roots = [...running.values()].flatMap((system) => system.serverPids);
  const deadline = Date.now() + QUIET_WAIT_LIMIT_MS;
  for (;;) {
    const sampler = new ResourceSampler(roots, { includeDescendants: true, intervalMs: QUIET_WINDOW_MS });
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, QUIET_WINDOW_MS));
    const { cpuPercent } = sampler.stop();
    if (cpuPercent < QUIET_CPU_PERCENT) return;
    if (Date.now() > deadline) {
      log(
        `  servers still busy (${cpuPercent.toFixed(0)}% CPU) after ${QUIET_WAIT_LIMIT_MS / 1000} s; measuring anyway`,
      );
      return;
    }
  }
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
