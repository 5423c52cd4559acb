// Smoke runs for scenario 4 (persistence): the fault proxy cuts and restores connections,
// and a tiny persistence run on the peer (seconds) loses and duplicates nothing across an
// outage. Chattr's own outage behaviour is covered by test/ and measured by `npm run bench`.
import { connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, expect, test } from "vitest";
import { runBench } from "./bench.ts";
import { processTree } from "./load/proc-stats.ts";
import { setProxyOutage, startFaultProxy } from "./systems/fault-proxy.ts";

const servers: Server[] = [];
afterAll(() => {
  for (const server of servers) server.close();
});

/** Connects to the proxy and answers what an echo round-trip gives, or "closed". */
function echoThrough(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("connect", () => socket.write(text));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.length >= text.length) {
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", () => {});
    socket.on("close", () => resolve(answer.length >= text.length ? answer : "closed"));
  });
}

test("the fault proxy passes bytes through, refuses and cuts during an outage, and recovers", async () => {
  const echo = createServer((socket) => socket.pipe(socket));
  servers.push(echo);
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  const address = echo.address();
  if (address === null || typeof address === "string") throw new Error("no echo port");
  const proxy = await startFaultProxy({ host: "127.0.0.1", port: address.port });
  try {
    expect(await echoThrough(proxy.port, "hello")).toBe("hello");

    // An open connection is cut when the outage starts.
    const open = connect(proxy.port, "127.0.0.1");
    await new Promise<void>((resolve) => open.once("connect", () => resolve()));
    const cut = new Promise<void>((resolve) => open.once("close", () => resolve()));
    open.on("error", () => {});
    await setProxyOutage(proxy.control, true);
    await cut;
    expect(await echoThrough(proxy.port, "refused")).toBe("closed");

    await setProxyOutage(proxy.control, false);
    expect(await echoThrough(proxy.port, "again")).toBe("again");
  } finally {
    await proxy.stop();
  }
});

test("a tiny persistence run on the peer loses and duplicates nothing across an outage", async () => {
  const report = await runBench({
    mode: "quick",
    systems: ["peer"],
    outFile: null,
    pin: false,
    scenarios: ["persistence"],
    cases: {
      persistence: [
        {
          messagesPerSecond: 40,
          senders: 10,
          receivers: 1,
          bodyBytes: 100,
          steadyMs: 500,
          beforeOutageMs: 300,
          outageMs: 1_000,
          afterOutageMs: 300,
          catchUpLimitMs: 15_000,
          pollMs: 25,
          seed: 9,
        },
      ],
    },
    log: () => {},
  });
  expect(report.failures).toEqual([]);

  const [measured] = report.persistence;
  expect(measured?.system).toBe("peer");
  const result = measured?.result;
  if (!result) throw new Error("no persistence result");
  const sent = result.steady.sent + result.outage.sent;
  expect(sent).toBeGreaterThan(0);
  expect(result.steady.acked + result.outage.acked).toBe(sent);
  expect(result.steady.lost + result.outage.lost).toBe(0);
  expect(result.rows).toBe(sent);
  expect(result.duplicatedClientIds).toBe(0);
  expect(result.duplicatedSeqs).toBe(0);
  expect(result.strangers).toBe(0);
  expect(result.outage.catchUpMs).not.toBeNull();
  for (const value of [result.steady.ackMs.p99, result.steady.lagMs.p99])
    expect(Number.isFinite(value) && value > 0).toBe(true);
  expect(processTree([process.pid]).length).toBeLessThanOrEqual(1);
});
