// Starts the whole app locally: Postgres (embedded unless DATABASE_URL is set) behind the
// loopback bridge, migrations, then `wrangler dev` serving the Worker, its Durable
// Objects and the built web app. Used by `npm run dev` and by the browser tests.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type LocalDatabaseOptions, startLocalDatabase } from "./db/local-database.ts";
import { freePort } from "./lib/free-port.ts";

// Run with this Node (22+), not whatever `#!/usr/bin/env node` would find first.
const WRANGLER = fileURLToPath(new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url));

export interface DevServerOptions {
  port: number;
  sessionSecret: string;
  /** Use this Postgres server instead of the embedded one. */
  databaseUrl?: string | undefined;
  /** Embedded Postgres data folder (persistent); in memory when absent. */
  dataDir?: string | undefined;
  /** With `databaseUrl`: use a throwaway database on that server. */
  throwawayDatabase?: boolean;
  /** Where wrangler keeps Durable Object storage; its default (.wrangler/state) when absent. */
  persistTo?: string | undefined;
  /** Print wrangler's output. */
  verbose?: boolean;
  /** See LocalDatabaseOptions.bridgeTarget (the bench's fault proxy). */
  bridgeTarget?: LocalDatabaseOptions["bridgeTarget"];
}

export interface DevServer {
  url: string;
  databaseKind: "embedded" | "server";
  /** Postgres itself (not through the bridge), for tools that watch its rows. */
  databaseUrl: string;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const database = await startLocalDatabase({
    serverUrl: options.databaseUrl,
    dataDir: options.dataDir,
    throwaway: options.throwawayDatabase ?? false,
    bridgeTarget: options.bridgeTarget,
  });
  const args = [
    WRANGLER,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    "--show-interactive-dev-session=false",
    // Its own devtools port: the default (9229) may belong to another running instance.
    "--inspector-port",
    String(await freePort()),
    "--var",
    `DATABASE_URL:${database.url}`,
    "--var",
    `DB_BRIDGE:${database.bridge.address}`,
    "--var",
    `SESSION_SECRET:${options.sessionSecret}`,
  ];
  if (options.persistTo) args.push("--persist-to", options.persistTo);
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      FORCE_COLOR: "0",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const url = `http://127.0.0.1:${options.port}`;
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (options.verbose) process.stdout.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);

  const stop = async () => {
    await killGroup(child);
    await database.stop();
  };
  try {
    await waitForHealth(url, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, databaseKind: database.kind, databaseUrl: database.url, stop };
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited (${child.exitCode}):\n${output()}`);
    try {
      const response = await fetch(`${url}/api/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not become healthy within 60 s:\n${output()}`);
}

/** Stops wrangler and the workerd it started (same process group), by PID. */
async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timeout = setTimeout(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5_000);
  await exited;
  clearTimeout(timeout);
}
