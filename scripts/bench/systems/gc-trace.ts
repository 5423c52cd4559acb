// V8's garbage collections in a server, as the server's own V8 reports them (`--trace-gc`):
// a pause of the server's JavaScript thread delays every frame it would have sent meanwhile,
// so the report gives, per window, how many collections ended in it and the longest pause.
// Node servers get the flag directly; workerd gets it through Miniflare
// (MINIFLARE_WORKERD_V8_FLAGS). V8 prints through C stdio, which a pipe buffers by the
// 4 KiB block: `stdbuf -oL` (coreutils) makes it print each line as it happens, so the bench
// can date a collection by when its line arrives. Without stdbuf nothing is traced
// (canTraceGc in server-process.ts).
import { constants, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";

/** Whose V8 to trace: the process's own Node, or the workerd it starts through Miniflare. */
export type GcTraceTarget = "node" | "workerd";

export interface GcPause {
  /** `performance.now()` in the bench when the line arrived (the collection had just ended). */
  at: number;
  /** As V8 names it: Scavenge, Mark-Compact, Mark-Compact (reduce), … */
  kind: string;
  /** The pause of the JavaScript thread, ms (V8's first figure of "pause / incremental"). */
  ms: number;
}

export interface GcSummary {
  count: number;
  /** Full collections (mark-compact) among them. */
  major: number;
  totalMs: number;
  maxMs: number;
}

// [pid:isolate]   14528 ms: Mark-Compact 25.1 (33.4) -> 5.4 (31.1) MB, pooled: 2.2 MB, 46.59 / 0.00 ms (…
const GC_LINE = /^\[\d+:0x[0-9a-f]+\]\s+[\d.]+ ms: (\D+?) [\d.]+ \([\d.]+\) -> .*? ([\d.]+) \/ [\d.]+ ms/;

/** The pause a `--trace-gc` line reports, or null for any other line. */
export function parseGcLine(line: string, at: number): GcPause | null {
  const match = GC_LINE.exec(line);
  return match ? { at, kind: match[1] as string, ms: Number(match[2]) } : null;
}

export function summariseGc(pauses: readonly GcPause[]): GcSummary {
  let major = 0;
  let totalMs = 0;
  let maxMs = 0;
  for (const pause of pauses) {
    if (pause.kind.startsWith("Mark-Compact")) major++;
    totalMs += pause.ms;
    maxMs = Math.max(maxMs, pause.ms);
  }
  return { count: pauses.length, major, totalMs, maxMs };
}

/** The command, arguments and environment that trace `target`'s collections line by line. */
export function withGcTrace(
  target: GcTraceTarget,
  command: string,
  args: string[],
  env: Record<string, string>,
): { command: string; args: string[]; env: Record<string, string> } {
  const traced =
    target === "node"
      ? { args: ["--trace-gc", ...args], env }
      : { args, env: { ...env, MINIFLARE_WORKERD_V8_FLAGS: "--trace-gc" } };
  return { command: "stdbuf", args: ["-oL", command, ...traced.args], env: traced.env };
}

/** Collects the pauses from a process's output, line by line, and passes the other text on. */
export class GcLog {
  readonly #pauses: GcPause[] = [];
  #partial = "";

  /** Takes a chunk of output; returns the text that is not a trace line. */
  take(chunk: string, now: number): string {
    const lines = (this.#partial + chunk).split("\n");
    this.#partial = lines.pop() ?? "";
    let rest = "";
    for (const line of lines) {
      const pause = parseGcLine(line, now);
      if (pause) this.#pauses.push(pause);
      else rest += `${line}\n`;
    }
    // A long run traces thousands; only recent windows are asked about.
    if (this.#pauses.length > 20_000) this.#pauses.splice(0, 10_000);
    return rest;
  }

  /** The pauses whose lines arrived between `from` and `to` (`performance.now()`). */
  between(from: number, to: number): GcPause[] {
    return this.#pauses.filter((pause) => pause.at >= from && pause.at <= to);
  }
}

/**
 * The generator's own collections from now until `stop()`, from Node's performance timeline:
 * a pause there delays the reading of every frame that arrives meanwhile, whichever server
 * sent it, so the report shows them beside the server's.
 */
export function watchOwnGc(): { stop(): Promise<GcPause[]> } {
  const pauses: GcPause[] = [];
  const take = (entries: PerformanceEntry[]) => {
    for (const entry of entries) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      pauses.push({
        at: entry.startTime + entry.duration,
        kind:
          kind === constants.NODE_PERFORMANCE_GC_MAJOR
            ? "Mark-Compact"
            : kind === constants.NODE_PERFORMANCE_GC_MINOR
              ? "Scavenge"
              : "other",
        ms: entry.duration,
      });
    }
  };
  const observer = new PerformanceObserver((list) => take(list.getEntries()));
  observer.observe({ entryTypes: ["gc"] });
  return {
    async stop() {
      // Node files a collection's entry from a task of its own after the collection.
      await new Promise((resolve) => setImmediate(resolve));
      take(observer.takeRecords());
      observer.disconnect();
      return pauses;
    },
  };
}
