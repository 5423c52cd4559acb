// Starts a system's server as a child process group (pinned to one CPU with taskset when
// asked), and stops the whole group by its PID, also when it ignores SIGTERM.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { setPriority } from "node:os";
import { GcLog, type GcPause, type GcTraceTarget, withGcTrace } from "./gc-trace.ts";

export interface ServerProcess {
  readonly pid: number;
  /** Everything the process printed so far (for error messages). */
  output(): string;
  /** Whether the process has already ended (it failed to start, or crashed). */
  exited(): boolean;
  /** Its V8's collections whose lines arrived between `from` and `to` (`performance.now()`); null when not traced. */
  gcPauses(from: number, to: number): GcPause[] | null;
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cpu: number | undefined;
  verbose: boolean;
  /** Whose collections to trace (gc-trace.ts): the server's JavaScript thread, not its database's. */
  traceGc?: GcTraceTarget;
}

/** Whether each tool asked about runs here, asked once per tool. */
const toolsThatRun = new Map<string, boolean>();

function toolRuns(command: string, args: string[]): boolean {
  let runs = toolsThatRun.get(command);
  if (runs === undefined) {
    try {
      execFileSync(command, args, { stdio: "ignore" });
      runs = true;
    } catch {
      runs = false;
    }
    toolsThatRun.set(command, runs);
  }
  return runs;
}

/** Whether `taskset` exists here (util-linux); without it nothing is pinned. */
export function hasTaskset(): boolean {
  return toolRuns("taskset", ["-p", String(process.pid)]);
}

/** Whether `stdbuf` exists here (coreutils), without which a GC trace would arrive too late to date (gc-trace.ts). */
export function canTraceGc(): boolean {
  return toolRuns("stdbuf", ["--version"]);
}

/** Pins this process (all its threads) to `cpu`; false when that was not possible. */
export function pinThisProcess(cpu: number): boolean {
  if (!hasTaskset()) return false;
  try {
    execFileSync("taskset", ["-a", "-cp", String(cpu), String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The lowest CPU priority there is (nice 19). */
const LOWEST_PRIORITY = 19;
/** Where a process's threads are listed (Linux): without it, yieldCpuToServers changes nothing. */
const OWN_THREADS = "/proc/self/task";
/** Whether yieldCpuToServers can lower a process's priority here. */
export const canYieldCpu = existsSync(OWN_THREADS);

/**
 * Puts every thread of this process at the lowest CPU priority, for the processes that
 * stand in for the database machine: in production Postgres runs elsewhere, while here it
 * shares the server's CPU, and at normal priority its bursts delay the server's thread by
 * whole scheduler slices (DECISIONS, "Third pass"). It then gets the time the server leaves.
 * Threads started later inherit it; processes started earlier (workerd) keep their own.
 * Linux only (canYieldCpu); elsewhere nothing changes.
 */
export function yieldCpuToServers(): void {
  if (!canYieldCpu) return;
  for (const tid of readdirSync(OWN_THREADS)) {
    try {
      setPriority(Number(tid), LOWEST_PRIORITY);
    } catch {
      // The thread ended since it was listed.
    }
  }
}

/** Process groups started here and not yet stopped. */
const liveGroups = new Set<number>();

/**
 * Kills every server group still running when this process exits or is interrupted
 * (Ctrl-C, a timeout): the servers run in their own groups, so nothing else stops them.
 */
export function stopServersOnExit(): void {
  const killAll = () => {
    for (const pid of liveGroups) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  };
  process.once("exit", killAll);
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)
    process.once(signal, () => {
      killAll();
      process.exit(code);
    });
}

export function startServerProcess(options: ServerProcessOptions): ServerProcess {
  const traceGc = options.traceGc && canTraceGc() ? options.traceGc : undefined;
  const gcLog = traceGc ? new GcLog() : null;
  const run = traceGc
    ? withGcTrace(traceGc, options.command, options.args, options.env ?? {})
    : { command: options.command, args: options.args, env: options.env ?? {} };
  const pinned = options.cpu !== undefined && hasTaskset();
  const command = pinned ? "taskset" : run.command;
  const args = pinned ? ["-c", String(options.cpu), run.command, ...run.args] : run.args;
  const child = spawn(command, args, {
    env: { ...process.env, ...run.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  if (child.pid === undefined) throw new Error(`could not start ${options.command}`);
  let output = "";
  const collect = (text: string) => {
    output += text;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", (chunk: Buffer) => {
    if (options.verbose) process.stdout.write(chunk);
    collect(gcLog ? gcLog.take(chunk.toString(), performance.now()) : chunk.toString());
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    if (options.verbose) process.stdout.write(chunk);
    collect(chunk.toString());
  });
  const pid = child.pid;
  liveGroups.add(pid);
  child.once("exit", () => liveGroups.delete(pid));
  return {
    pid,
    output: () => output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    gcPauses: (from, to) => gcLog?.between(from, to) ?? null,
    stop: () => stopGroup(child, pid),
  };
}

async function stopGroup(child: ChildProcess, pid: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = setTimeout(() => {
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 10_000);
  await exited;
  clearTimeout(timeout);
}

/** Polls `url` until it answers 2xx, or fails with the server's output. */
export async function waitForHttp(url: string, server: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exited()) throw new Error(`the server exited while starting:\n${server.output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s:\n${server.output()}`);
}

/** Waits until the server prints a line matching `pattern` and answers its first group. */
export async function waitForOutput(
  server: ServerProcess,
  pattern: RegExp,
  what: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = pattern.exec(server.output())?.[1];
    if (found) return found;
    if (server.exited()) throw new Error(`${what} exited while starting:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not start within ${timeoutMs / 1000} s:\n${server.output()}`);
}
