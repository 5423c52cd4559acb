import { fileURLToPath } from "node:url";
import { freePort } from "../../lib/free-port.ts";
import { openRoomsServer } from "./frame-client.ts";
import { startServerProcess } from "./server-process.ts";
import type { BenchSystem } from "./types.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./limit-server.ts", import.meta.url));

export const limitSystem: BenchSystem = {
  name: "limit",
  description: "raw `ws` broadcast server in Node, in memory, no auth or storage",
  async start({ serverCpu, verbose }) {
    const port = await freePort();
    const server = startServerProcess({
      command: process.execPath,
      args: [SERVER_SCRIPT, String(port)],
      cpu: serverCpu,
      verbose,
      traceGc: "node",
    });
    return openRoomsServer(port, server, () => server.stop());
  },
};
