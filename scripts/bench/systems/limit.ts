import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { freePort } from "../../lib/free-port.ts";
import { connectFrameClient } from "./frame-client.ts";
import { startServerProcess, waitForHttp } from "./server-process.ts";
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
    });
    try {
      await waitForHttp(`http://127.0.0.1:${port}/`, server);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return {
      serverPids: [server.pid],
      async prepareRoom() {
        const url = `ws://127.0.0.1:${port}/rooms/${randomUUID()}`;
        return {
          maxSendsPerSecondPerClient: Number.POSITIVE_INFINITY,
          connect: (_index, onDelivery) => connectFrameClient(url, {}, onDelivery),
        };
      },
      stop: () => server.stop(),
    };
  },
};
