// The server GC column: V8's --trace-gc lines are read from real traced servers (Node, and
// workerd through Miniflare) as they happen, not in one block when the server exits: workerd
// prints through a buffered pipe, which stdbuf makes line by line.
import { expect, test } from "vitest";
import { floorSystem } from "./floor.ts";
import { GcLog, parseGcLine, summariseGc, watchOwnGc } from "./gc-trace.ts";
import { canTraceGc, startServerProcess } from "./server-process.ts";

test("reads the pause and the kind from Node's and workerd's trace lines, and nothing else", () => {
  const node =
    "[25601:0x7d14000]      340 ms: Scavenge 11.1 (15.8) -> 7.2 (15.8) MB, pooled: 0 MB, 0.10 / 0.00 ms  (average mu = 1.000, current mu = 1.000) allocation failure; ";
  const workerd =
    "[27322:0x13877fc98000]    14528 ms: Mark-Compact 25.1 (33.4) -> 5.4 (31.1) MB, pooled: 2.2 MB, 46.59 / 0.00 ms (average mu = 0.997, current mu = 0.997) allocation failure; GC in old space requested";
  const reduce =
    "[1:0x1]  9 ms: Mark-Compact (reduce) 3.1 (5.0) -> 2.9 (4.0) MB, pooled: 0 MB, 1.50 / 0.20 ms  (average mu = 0.9) memory reducer";
  expect(parseGcLine(node, 1)).toEqual({ at: 1, kind: "Scavenge", ms: 0.1 });
  expect(parseGcLine(workerd, 2)).toEqual({ at: 2, kind: "Mark-Compact", ms: 46.59 });
  expect(parseGcLine(reduce, 3)).toEqual({ at: 3, kind: "Mark-Compact (reduce)", ms: 1.5 });
  expect(parseGcLine("BENCH_READY http://127.0.0.1:8787", 4)).toBeNull();
  expect(
    summariseGc(
      [parseGcLine(node, 1), parseGcLine(workerd, 2), parseGcLine(reduce, 3)].filter((p) => p !== null),
    ),
  ).toEqual({ count: 3, major: 2, totalMs: 0.1 + 46.59 + 1.5, maxMs: 46.59 });
});

test("passes other output on whole, and dates each trace line by when its line is complete", () => {
  const log = new GcLog();
  const line = "[1:0x1] 5 ms: Scavenge 1.0 (2.0) -> 0.5 (2.0) MB, pooled: 0 MB, 0.70 / 0.00 ms";
  expect(log.take("BENCH_READY x\n[1:0x1] 5 ms: Scav", 10)).toBe("BENCH_READY x\n");
  expect(log.take(`${line.slice("[1:0x1] 5 ms: Scav".length)}\nmore`, 20)).toBe("");
  expect(log.take("\n", 30)).toBe("more\n");
  expect(log.between(0, 15)).toEqual([]);
  expect(log.between(15, 25)).toEqual([{ at: 20, kind: "Scavenge", ms: 0.7 }]);
});

test("sees the generator's own collections, dated on its clock", async () => {
  const from = performance.now();
  const watch = watchOwnGc();
  let keep: object[] = [];
  for (let round = 0; round < 20; round++) {
    keep = [];
    for (let i = 0; i < 100_000; i++) keep.push({ i });
  }
  const pauses = await watch.stop();
  expect(keep).toHaveLength(100_000);
  expect(pauses.some((pause) => pause.kind === "Scavenge")).toBe(true);
  for (const pause of pauses) {
    expect(pause.at).toBeGreaterThanOrEqual(from);
    expect(pause.at).toBeLessThanOrEqual(performance.now());
  }
});

test.runIf(canTraceGc())(
  "hears a traced Node server's collections while it runs, not when it exits",
  async () => {
    // Allocates for a while (young collections), forces a full one, then idles a second.
    const script = `
    let keep = [];
    for (let i = 0; i < 200000; i++) keep.push({ i, s: "x".repeat(20) });
    keep = null;
    setTimeout(() => {}, 1000);`;
    const server = startServerProcess({
      command: process.execPath,
      args: ["-e", script],
      cpu: undefined,
      verbose: false,
      traceGc: "node",
    });
    const started = performance.now();
    while (!server.exited() && performance.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 20));
    const exitedAt = performance.now();
    const pauses = server.gcPauses(started, exitedAt) ?? [];
    expect(pauses.length).toBeGreaterThan(0);
    // Line by line: the first collection was heard well before the process ended.
    expect(exitedAt - (pauses[0]?.at ?? exitedAt)).toBeGreaterThan(500);
    expect(server.output()).not.toMatch(/Scavenge/);
  },
);

test.runIf(canTraceGc())(
  "hears workerd's collections while it runs (the floor, a few thousand broadcasts)",
  async () => {
    const system = await floorSystem.start({ serverCpu: undefined, verbose: false });
    try {
      const from = performance.now();
      const room = await system.prepareRoom(2);
      let delivered = 0;
      const clients = await Promise.all([0, 1].map((index) => room.connect(index, () => delivered++)));
      const body = "x".repeat(1_000);
      for (
        let round = 0;
        round < 30 && (system.gcPauses(from, performance.now()) ?? []).length === 0;
        round++
      ) {
        for (let n = 0; n < 200; n++) clients[n % 2]?.send(body);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Heard while workerd runs: a block-buffered pipe would hold these lines until it exits.
      expect((system.gcPauses(from, performance.now()) ?? []).length).toBeGreaterThan(0);
      expect(delivered).toBeGreaterThan(0);
      for (const client of clients) client.close();
    } finally {
      await system.stop();
    }
  },
  60_000,
);
