// Scenario 6's smoke run: the real app, a 5-message room, one page load in headless
// Chromium. Asserts that the harness measures what it says, not how fast anything is.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { runBench } from "./bench.ts";
import { processTree } from "./load/proc-stats.ts";
import { CHROMIUM, percentiles, waitingOnRequests } from "./load/web-app.ts";

const outDir = mkdtempSync(join(tmpdir(), "bench-web-smoke-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

test("the critical path's waiting time is the union of its requests, cut at the render", () => {
  const run = {
    page: { start: 0, end: 20 },
    script: { start: 30, end: 80 },
    stylesheet: { start: 30, end: 60 },
    me: { start: 70, end: 100 },
    // The sidebar's list is not on the critical path.
    roomList: { start: 0, end: 1_000 },
    history: { start: 150, end: 250 },
  };
  expect(waitingOnRequests(run, 200)).toBe(20 + 70 + 50);
  expect(percentiles([3, 1, 2])).toEqual({ p50: 2, p95: 3, max: 3 });
  expect(percentiles([])).toBeNull();
});

test("a tiny web-app run sizes the build, opens a room in Chromium and writes section 6", async () => {
  const outFile = join(outDir, "BENCHMARKS.md");
  const report = await runBench({
    mode: "quick",
    systems: ["chattr"],
    scenarios: ["web"],
    outFile,
    pin: false,
    cases: { web: [{ messages: 5, runs: 1, viewport: { width: 800, height: 600 } }] },
    log: () => {},
  });
  expect(report.failures).toEqual([]);

  expect(report.web).toHaveLength(1);
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

  const markdown = readFileSync(outFile, "utf8");
  expect(markdown).toContain("## 6. The web app");
  expect(markdown).toMatch(/^\| chattr +\| JS\+CSS gzip -9 +\| [\d.]+ kB +\|/m);
  expect(markdown).not.toMatch(/Not measured yet[\s\S]*web app/);
  expect(processTree([process.pid]).length).toBeLessThanOrEqual(1);
});
