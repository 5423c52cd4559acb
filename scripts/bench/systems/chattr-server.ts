// Chattr for the benchmark, as a child process (so the embedded Postgres, the bridge and
// workerd all count as server CPU and memory, and inherit its CPU pinning): the real app,
// bundled and configured from wrangler.toml as `wrangler dev` does (workerd-app.ts), with a
// throwaway database and Durable Object storage.
// Durable Object storage is SQLite files in a RAM-backed folder (/dev/shm) unless
// BENCH_DO_STORAGE=disk, as both Postgres instances of the bench are in memory: on this
// machine's disk every commit waits for an fsync that production (which replicates each
// commit instead) does not pay, and that wait stops workerd's only thread. Miniflare's own
// "not persisted" storage is a temporary folder on disk, fsyncs included, and its in-memory
// kind has no SQL. DECISIONS has the measurements.
// The bridge reaches Postgres through the bench's fault proxy (fault-proxy.ts), which the
// persistence scenario cuts.
// Once workerd runs, this process (the embedded Postgres, the bridge, the fault proxy and
// Miniflare's own Node side, none of them on a frame's path) drops to the lowest CPU
// priority, standing in for production's separate database machine (yieldCpuToServers).
// Env: BENCH_PORT, BENCH_SESSION_SECRET, BENCH_DO_STORAGE, BENCH_INSPECTOR_PORT (profile.ts). Prints `BENCH_STORAGE <folder>`,
// `BENCH_DATABASE <postgres url> <fault proxy control>`, then `BENCH_READY <url>` once healthy.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type LocalDatabase, startLocalDatabase } from "../../db/local-database.ts";
import { type FaultProxy, startFaultProxy } from "./fault-proxy.ts";
import { yieldCpuToServers } from "./server-process.ts";
import { startWorkerdApp, type WorkerdApp } from "./workerd-app.ts";

const CONFIG = fileURLToPath(new URL("../../../wrangler.toml", import.meta.url));

const RAM_FOLDER = "/dev/shm";
const onDisk = process.env.BENCH_DO_STORAGE === "disk" || !existsSync(RAM_FOLDER);
const persistTo = mkdtempSync(join(onDisk ? tmpdir() : RAM_FOLDER, "bench-chattr-"));
// The folder goes when the process exits, however it exits (Miniflare itself ends the
// process on SIGTERM, before `stop` below is done); in /dev/shm a leftover would hold memory. A process that is
// killed outright cannot clean up: the bench removes the folder it printed (chattr.ts).
process.once("exit", () => rmSync(persistTo, { recursive: true, force: true }));
console.log(`BENCH_STORAGE ${persistTo}`);
let faultProxy: FaultProxy | undefined;
let database: LocalDatabase | undefined;
let app: WorkerdApp;
try {
  database = await startLocalDatabase({
    async bridgeTarget(postgres) {
      faultProxy = await startFaultProxy(postgres);
      return { host: "127.0.0.1", port: faultProxy.port };
    },
  });
  app = await startWorkerdApp({
    config: CONFIG,
    port: Number(process.env.BENCH_PORT),
    persistTo,
    ...(process.env.BENCH_INSPECTOR_PORT ? { inspectorPort: Number(process.env.BENCH_INSPECTOR_PORT) } : {}),
    vars: {
      DATABASE_URL: database.url,
      DB_BRIDGE: database.bridge.address,
      SESSION_SECRET: process.env.BENCH_SESSION_SECRET ?? "",
    },
  });
} catch (error) {
  await database?.stop();
  await faultProxy?.stop();
  throw error;
}
const health = await fetch(`${app.url}/api/health`);
if (!health.ok) throw new Error(`Chattr is not healthy: ${health.status} ${await health.text()}`);
yieldCpuToServers();
if (faultProxy) console.log(`BENCH_DATABASE ${database.url} ${faultProxy.control}`);
console.log(`BENCH_READY ${app.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.stop();
  await database?.stop();
  await faultProxy?.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
