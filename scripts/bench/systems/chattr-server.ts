// Chattr for the benchmark, as a child process (so the embedded Postgres, the bridge and
// wrangler all count as server CPU and memory, and inherit its CPU pinning): the real app
// under `wrangler dev` with a throwaway database and Durable Object storage.
// Env: BENCH_PORT, BENCH_SESSION_SECRET. Prints `BENCH_READY <url>` once healthy, after
// `BENCH_DATABASE <postgres url> <fault proxy control>`: the bridge reaches Postgres through
// the bench's fault proxy (fault-proxy.ts), which the persistence scenario cuts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DevServer, startDevServer } from "../../dev-server.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";

const persistTo = mkdtempSync(join(tmpdir(), "bench-chattr-"));
let server: DevServer;
let faultProxy: FaultProxy | undefined;
try {
  server = await startDevServer({
    port: Number(process.env.BENCH_PORT),
    sessionSecret: process.env.BENCH_SESSION_SECRET ?? "",
    throwawayDatabase: true,
    persistTo,
    verbose: process.env.BENCH_VERBOSE === "1",
    async bridgeTarget(postgres) {
      faultProxy = await startFaultProxy(postgres);
      return { host: "127.0.0.1", port: faultProxy.port };
    },
  });
} catch (error) {
  await faultProxy?.stop();
  // startDevServer already stopped what it started; the storage folder is ours to remove.
  rmSync(persistTo, { recursive: true, force: true });
  throw error;
}
if (faultProxy) console.log(`BENCH_DATABASE ${server.databaseUrl} ${faultProxy.control}`);
console.log(`BENCH_READY ${server.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop();
  await faultProxy?.stop();
  rmSync(persistTo, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
