// A tiny reconnect storm (scenario 3): the limit (no resume), the Socket.IO peer
// (Connection State Recovery) and the real app (`hello {lastSeq}`), a few clients, about
// two seconds of sends. Asserts that the harness counts what it says: the systems that
// resume lose and repeat nothing, and every client comes back.
import { afterAll, expect, test } from "vitest";
import { runBench } from "./bench.ts";
import { processTree } from "./load/proc-stats.ts";

afterAll(() => {
  // Every server process was stopped: nothing is left under this test's process.
  expect(processTree([process.pid]).length).toBeLessThanOrEqual(1);
});

test("a tiny storm: every client comes back; the peer and Chattr resume with nothing missed or repeated", async () => {
  const report = await runBench({
    mode: "quick",
    systems: ["limit", "peer", "chattr"],
    outFile: null,
    pin: false,
    scenarios: ["storm"],
    cases: {
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
    },
    log: () => {},
  });
  expect(report.failures).toEqual([]);

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
