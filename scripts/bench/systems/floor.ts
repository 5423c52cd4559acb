import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../lib/free-port.ts";
import { openRoomsServer } from "./frame-client.ts";
import { startServerProcess } from "./server-process.ts";
import type { BenchSystem } from "./types.ts";

const WRANGLER = fileURLToPath(new URL("../../../node_modules/wrangler/bin/wrangler.js", import.meta.url));
const FLOOR_CONFIG = fileURLToPath(new URL("../floor/wrangler.toml", import.meta.url));

export const floorSystem: BenchSystem = {
  name: "floor",
  description: "bare broadcast-only Durable Object in the same workerd (`wrangler dev`)",
  async start({ serverCpu, verbose }) {
    const port = await freePort();
    const state = mkdtempSync(join(tmpdir(), "bench-floor-"));
    const server = startServerProcess({
      command: process.execPath,
      args: [
        WRANGLER,
        "dev",
        "--config",
        FLOOR_CONFIG,
        "--ip",
        "127.0.0.1",
        "--port",
        String(port),
        "--inspector-port",
        String(await freePort()),
        "--show-interactive-dev-session=false",
        "--persist-to",
        state,
      ],
      // Offline: no metrics, no request.cf lookup.
      env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", FORCE_COLOR: "0" },
      cpu: serverCpu,
      verbose,
    });
    const stop = async () => {
      await server.stop();
      rmSync(state, { recursive: true, force: true });
    };
    return openRoomsServer(port, server, stop);
  },
};
