// The benchmark's smoke run: the limit, the Socket.IO peer and the real app, 2 clients,
// about a second of sends. Asserts that the harness measures what it says, not how fast anything is.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runBench } from "./bench.ts";
import { processTree } from "./load/proc-stats.ts";

const outDir = mkdtempSync(join(tmpdir(), "bench-smoke-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test("a tiny quick run measures limit, peer and chattr, loses nothing, stores the peer's messages, and writes the report", async () => {
  const outFile = join(outDir, "BENCHMARKS.md");
  const report = await runBench({
    mode: "quick",
    systems: ["limit", "peer", "chattr"],
    outFile,
    pin: false,
    scenarios: ["fanout"],
    cases: {
      fanout: [
        { clients: 2, bodyBytes: 100, messagesPerSecond: 8, durationMs: 1_000, drainMs: 15_000, seed: 7 },
      ],
    },
    log: () => {},
  });
  expect(report.failures).toEqual([]);

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

  // The peer wrote every message it broadcast to Postgres (its batches flushed before counting).
  const peerSent = report.fanout.find((m) => m.system === "peer")?.result.sent;
  expect(report.storedMessages.peer).toBe(peerSent);

  expect(existsSync(outFile)).toBe(true);
  const markdown = readFileSync(outFile, "utf8");
  expect(markdown).toMatch(/^\| chattr +\| 2 +\| 100 B +\|/m);
  expect(markdown).toMatch(/^\| peer +\| 2 +\| 100 B +\|/m);
  // Chattr's row carries its latency ratios to the peer measured in the same run.
  expect(markdown).toMatch(/^\| chattr +(\|[^|\n]*){13}\| [\d.]+× \/ [\d.]+× +\|/m);
  // Every server process was stopped: nothing is left under this test's process.
  expect(processTree([process.pid]).length).toBeLessThanOrEqual(1);
});
