// The peer's Postgres, as its own child process: a real deployment runs Postgres beside the
// Socket.IO server, not inside its event loop, and PGlite (WebAssembly) would otherwise run
// on the server's only thread. Started the same way Chattr's dev server starts its database
// (startLocalDatabase: the embedded PGlite on a loopback TCP port, migrations applied), or a
// throwaway database on DATABASE_URL's server. The Socket.IO server reaches it through the
// bench's fault proxy (fault-proxy.ts), as Chattr's bridge does. Prints
// `BENCH_DATABASE_DIRECT <postgres url> <fault proxy control>`, then
// `BENCH_DATABASE_READY <url through the proxy>`.
// It runs at the lowest CPU priority (yieldCpuToServers), as Chattr's database does.
import { startLocalDatabase } from "../../db/local-database.ts";
import { startFaultProxy } from "./fault-proxy.ts";
import { yieldCpuToServers } from "./server-process.ts";

const database = await startLocalDatabase({
  serverUrl: process.env.DATABASE_URL || undefined,
  throwaway: true,
});
const direct = new URL(database.url);
const faultProxy = await startFaultProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
const proxied = new URL(database.url);
proxied.hostname = "127.0.0.1";
proxied.port = String(faultProxy.port);
yieldCpuToServers();
console.log(`BENCH_DATABASE_DIRECT ${database.url} ${faultProxy.control}`);
console.log(`BENCH_DATABASE_READY ${proxied.toString()}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await faultProxy.stop();
  await database.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
