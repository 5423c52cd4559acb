// The benchmark's smoke run: the limit, the Socket.IO peer and the real app, started once
// (each start costs seconds) for three tiny scenarios: fan-out with 2 clients, a reconnect
// storm of 4, and one page load in headless Chromium. Asserts that the harness measures
// what it says, not how fast anything is.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BenchReport, runBench } from "./bench.ts";
import { processTree } from "./load/proc-stats.ts";
import { CHROMIUM } from "./load/web-app.ts";
import { canTraceGc } from "./systems/server-process.ts";

const outDir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
const outFile = join(outDir, "BENCHMARKS.md");
let report: BenchReport;
let markdown = "";

beforeAll(async () => {
  report = await runBench({
    mode: "quick",
    systems: ["limit", "peer", "chattr"],
    outFile,
    pin: false,
    scenarios: ["fanout", "storm", "web"],
    cases: {
      fanout: [
        { clients: 2, bodyBytes: 100, messagesPerSecond: 8, durationMs: 1_000, drainMs: 15_000, seed: 7 },
      ],
      storm: [
        {
          clients: 4,
          senders: 2,
          messagesPerSecond: 6,
          bodyBytes: 100,
          beforeMs: 500,
          spreadMs: 300,
          afterMs: 1_000,
          drainMs: 20_000,
          seed: 9,
        },
      ],
      web: [{ messages: 5, runs: 1, viewport: { width: 800, height: 600 } }],
    },
    log: () => {},
  });
  markdown = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
}, 300_000);

afterAll(() => {
  rmSync(outDir, { recursive: true, force: true });
  // Every server process was stopped: nothing is left under this test's process.
  expect(processTree([process.pid]).length).toBeLessThanOrEqual(1);
});

test("no case failed on any system, and the report was written", () => {
  expect(report.failures).toEqual([]);
  expect(markdown).toContain("# Benchmarks");
});

test("the peer wrote every message it broadcast, in both scenarios, to Postgres (its batches flushed before counting)", () => {
  const sentByPeer = [...report.fanout, ...report.storm]
    .filter((m) => m.system === "peer")
    .reduce((sum, m) => sum + m.result.sent, 0);
  expect(sentByPeer).toBeGreaterThan(0);
  expect(report.storedMessages.peer).toBe(sentByPeer);
});

describe("fan-out", () => {
  test("limit, peer and chattr each deliver every message to both clients, with latencies", () => {
    expect(report.fanout.map((m) => m.system).sort()).toEqual(["chattr", "limit", "peer"]);
    for (const { system, result } of report.fanout) {
      expect(result.sent, system).toBeGreaterThan(0);
      expect(result.refusals, system).toEqual({});
      expect(result.deliveries, system).toBe(result.sent * 2);
      expect(result.deliveryRatio, system).toBe(1);
      for (const value of [
        result.latencyMs.p50,
        result.latencyMs.p99,
        result.latencyMs.p999,
        result.lastReceiverMs.p99,
      ]) {
        expect(Number.isFinite(value), system).toBe(true);
        expect(value, system).toBeGreaterThan(0);
      }
      expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
      expect(result.server.peakRssBytes, system).toBeGreaterThan(0);
    }
  });

  test("the report has a row per system, and Chattr's carries its ratios to the peer", () => {
    expect(markdown).toMatch(/^\| chattr +\| 2 +\| 100 B +\|/m);
    expect(markdown).toMatch(/^\| peer +\| 2 +\| 100 B +\|/m);
    expect(markdown).toMatch(/^\| chattr +(\|[^|\n]*){15}\| [\d.]+× \/ [\d.]+× +\|/m);
  });

  test.runIf(canTraceGc())("every server's collections are traced: its row says how many, or none", () => {
    for (const { system, result } of report.fanout) {
      expect(result.serverGc, system).not.toBeNull();
      expect(result.serverGc?.maxMs, system).toBeLessThanOrEqual(result.serverGc?.totalMs ?? 0);
    }
    expect(markdown).toMatch(/^\| chattr +(\|[^|\n]*){11}\| (none|\d+( \(\d+ full\))?, max [\d.]+ ms) +\|/m);
  });
});

describe("reconnect storm", () => {
  test("every client comes back; the peer and Chattr resume with nothing missed or repeated", () => {
    expect(report.storm.map((m) => m.system).sort()).toEqual(["chattr", "limit", "peer"]);
    for (const { system, result } of report.storm) {
      expect(result.sent, system).toBeGreaterThan(0);
      expect(result.refusals, system).toEqual({});
      expect(result.outcomes.failed + result.outcomes.pending, system).toBe(0);
      expect(Number.isFinite(result.allResumedMs), system).toBe(true);
      expect(result.duplicates, system).toBe(0);
      if (system === "limit") {
        expect(result.resumes).toBe(false);
        expect(result.outcomes.no_resume).toBe(4);
      } else {
        expect(result.resumes, system).toBe(true);
        expect(result.outcomes.resumed, system).toBe(4);
        expect(result.missed, system).toBe(0);
      }
    }
  });
});

describe("the web app", () => {
  test("sizes the build and, with Chromium, times one load through every step of the critical path", () => {
    expect(report.web.map((m) => m.system)).toEqual(["chattr"]);
    const { result } = report.web[0] ?? {};
    expect(result?.size.assets.some((asset) => asset.file.endsWith(".js"))).toBe(true);
    expect(result?.size.total.gzipBytes).toBeGreaterThan(0);
    expect(result?.size.total.gzipBytes).toBeLessThan(result?.size.total.bytes ?? 0);
    if (existsSync(CHROMIUM)) {
      expect(result?.skipped).toBeNull();
      expect(result?.runs).toHaveLength(1);
      const render = result?.firstRender;
      expect(render?.p50).toBeGreaterThan(0);
      // Every step of the critical path was seen, in order. The room socket is not on it: the
      // page shows the latest history first and connects after (web/src/lib/room-session.ts).
      const steps = result?.steps ?? {};
      for (const step of ["page", "script", "me", "room", "history", "render"] as const)
        expect(steps[step], step).toBeDefined();
      expect(steps.history?.endP50).toBeLessThanOrEqual(render?.p50 ?? 0);
    }
  });

  test("writes section 6 with the gzipped size", () => {
    expect(markdown).toContain("## 6. The web app");
    expect(markdown).toMatch(/^\| chattr +\| JS\+CSS gzip -9 +\| [\d.]+ kB +\|/m);
    expect(markdown).not.toMatch(/Not measured yet[\s\S]*web app/);
  });
});
