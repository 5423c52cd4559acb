// The peer's Postgres, as its own child process: a real deployment runs Postgres beside the
// Socket.IO server, not inside its event loop, and PGlite (WebAssembly) would otherwise run
// on the server's only thread. Started the same way Chattr's dev server starts its database
// (startLocalDatabase: the embedded PGlite on a loopback TCP port, migrations applied), or a
// throwaway database on DATABASE_URL's server. Prints `BENCH_DATABASE_READY <url>`.
import { startLocalDatabase } from "../../db/local-database.ts";

const database = await startLocalDatabase({
  serverUrl: process.env.DATABASE_URL || undefined,
  throwaway: true,
});
console.log(`BENCH_DATABASE_READY ${database.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await database.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
