// The platform floor for the benchmark, as a child process (so workerd counts as server CPU
// and memory, and inherits its CPU pinning): the bare broadcast Durable Object of
// ../floor/, run in workerd exactly as Chattr is (workerd-app.ts).
// Env: BENCH_PORT. Prints `BENCH_READY <url>` once listening.
import { fileURLToPath } from "node:url";
import { startWorkerdApp } from "./workerd-app.ts";

const CONFIG = fileURLToPath(new URL("../floor/wrangler.toml", import.meta.url));

const app = await startWorkerdApp({ config: CONFIG, port: Number(process.env.BENCH_PORT) });
console.log(`BENCH_READY ${app.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.stop();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
