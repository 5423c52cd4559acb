// The database that `npm run dev` and `npm test` use: an embedded PGlite unless
// DATABASE_URL names a server, in both cases reached through the loopback bridge so the
// Worker's Neon driver code path is the production one.
import { neonConfig, Pool } from "@neondatabase/serverless";
import { configureNeonForBridge } from "../../worker/db/neon-config.ts";
import { WebSocket } from "../lib/ws.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded-postgres.ts";
import { migrateDatabase } from "./migrate.ts";
import { type Bridge, startBridge } from "./ws-bridge.ts";

export interface LocalDatabase {
  /** Connection string the Worker should use (host and port are resolved by the bridge). */
  url: string;
  bridge: Bridge;
  kind: "embedded" | "server";
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  /** A server to use instead of the embedded one (DATABASE_URL). */
  serverUrl?: string | undefined;
  /** Where the embedded database keeps its files; in memory when absent. */
  dataDir?: string | undefined;
  /** With a server: create a throwaway database on it and drop it on stop. */
  throwaway?: boolean;
  /**
   * Puts something between the bridge and Postgres (the bench's fault proxy): given
   * Postgres's address, answers the address the bridge should connect to instead.
   */
  bridgeTarget?: (postgres: { host: string; port: number }) => Promise<{ host: string; port: number }>;
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let url: string;
  if (options.serverUrl) {
    url = options.serverUrl;
  } else {
    embedded = await startEmbeddedPostgres(options.dataDir);
    url = embedded.url;
  }
  const target = new URL(url);
  const postgres = { host: target.hostname, port: Number(target.port || 5432) };
  const bridge = await startBridge((await options.bridgeTarget?.(postgres)) ?? postgres);

  let dropDatabase: (() => Promise<void>) | undefined;
  if (options.serverUrl && options.throwaway) {
    const name = `chattr_test_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(url, bridge.address, `CREATE DATABASE ${name}`);
    const adminUrl = url;
    target.pathname = `/${name}`;
    url = target.toString();
    dropDatabase = () => adminQuery(adminUrl, bridge.address, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }

  await migrateDatabase(url, bridge.address);
  return {
    url,
    bridge,
    kind: embedded ? "embedded" : "server",
    async stop() {
      await dropDatabase?.().catch((error: unknown) =>
        console.warn("could not drop the test database:", error),
      );
      await bridge.stop();
      await embedded?.stop();
    },
  };
}

async function adminQuery(url: string, bridge: string, statement: string): Promise<void> {
  neonConfig.webSocketConstructor = WebSocket;
  configureNeonForBridge(neonConfig, bridge);
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on("error", () => {});
  try {
    await pool.query(statement);
  } finally {
    await pool.end();
  }
}
