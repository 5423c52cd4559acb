import { fileURLToPath } from "node:url";
import { freePort } from "../../lib/free-port.ts";
import { openRoomsServer } from "./frame-client.ts";
import { startServerProcess } from "./server-process.ts";
import type { BenchSystem } from "./types.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./floor-server.ts", import.meta.url));

export const floorSystem: BenchSystem = {
  name: "floor",
  description:
    "bare broadcast-only Durable Object in the same workerd as Chattr (Miniflare, as `wrangler dev` runs it)",
  async start({ serverCpu, verbose }) {
    const port = await freePort();
    const server = startServerProcess({
      command: process.execPath,
      args: [SERVER_SCRIPT],
      env: { BENCH_PORT: String(port) },
      cpu: serverCpu,
      verbose,
      traceGc: "workerd",
    });
    return openRoomsServer(port, server, () => server.stop());
  },
};
