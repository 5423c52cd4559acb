// CPU and memory of processes, read from /proc (Linux only; elsewhere the numbers are
// absent, never wrong). A server is sampled as its whole process tree: wrangler, the
// workerd it starts, and the embedded Postgres all count.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
}

interface ProcStat {
  parentPid: number;
  /** User + system CPU time, in seconds. */
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // Fields from 3 on: state(3) ppid(4) … utime(14) stime(15).
    return {
      parentPid: Number(fields[1]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}

function readRssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** `roots` and all their descendants that are alive now. */
export function processTree(roots: readonly number[]): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [...roots];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = children.get(stat.parentPid) ?? [];
    siblings.push(pid);
    children.set(stat.parentPid, siblings);
  }
  const found: number[] = [];
  const queue = [...roots];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

export interface ResourceUsage {
  /** Average CPU over the window, in % of one core (200% = both cores of this machine). */
  cpuPercent: number;
  /** Largest summed resident memory seen, in bytes. */
  peakRssBytes: number;
}

/**
 * Samples a set of process trees (or, with `includeDescendants` false, exactly those
 * processes) every `intervalMs` from `start()` until `stop()`.
 */
export class ResourceSampler {
  readonly #roots: readonly number[];
  readonly #includeDescendants: boolean;
  readonly #intervalMs: number;
  /** CPU seconds per PID at the start, so processes that started later count from zero. */
  #startCpu = new Map<number, number>();
  #lastCpu = new Map<number, number>();
  #peakRss = 0;
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(roots: readonly number[], options: { includeDescendants: boolean; intervalMs?: number }) {
    this.#roots = roots;
    this.#includeDescendants = options.includeDescendants;
    this.#intervalMs = options.intervalMs ?? 250;
  }

  start(): void {
    this.#startedAt = performance.now();
    for (const pid of this.#pids()) this.#startCpu.set(pid, readStat(pid)?.cpuSeconds ?? 0);
    this.#sample();
    this.#timer = setInterval(() => this.#sample(), this.#intervalMs);
  }

  stop(): ResourceUsage {
    clearInterval(this.#timer);
    this.#sample();
    const elapsedSeconds = (performance.now() - this.#startedAt) / 1000;
    let cpuSeconds = 0;
    for (const [pid, last] of this.#lastCpu) cpuSeconds += last - (this.#startCpu.get(pid) ?? 0);
    return {
      cpuPercent: elapsedSeconds > 0 ? (100 * cpuSeconds) / elapsedSeconds : 0,
      peakRssBytes: this.#peakRss,
    };
  }

  #pids(): number[] {
    return this.#includeDescendants ? processTree(this.#roots) : [...this.#roots];
  }

  #sample(): void {
    let rss = 0;
    for (const pid of this.#pids()) {
      const stat = readStat(pid);
      if (!stat) continue;
      this.#lastCpu.set(pid, stat.cpuSeconds);
      if (!this.#startCpu.has(pid)) this.#startCpu.set(pid, 0);
      rss += readRssBytes(pid);
    }
    this.#peakRss = Math.max(this.#peakRss, rss);
  }
}
