// Applies migrations/ to a Postgres server through the Neon serverless driver, the same
// code path the Worker uses. Local servers are reached through a loopback bridge.
import { fileURLToPath } from "node:url";
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import { configureNeonForBridge } from "../../worker/db/neon-config.ts";
import { WebSocket } from "../lib/ws.ts";

const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/** `bridge` is the `host:port` of a ws-bridge, or undefined to talk to Neon directly. */
export async function migrateDatabase(databaseUrl: string, bridge?: string): Promise<void> {
  neonConfig.webSocketConstructor = WebSocket;
  if (bridge) configureNeonForBridge(neonConfig, bridge);
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  pool.on("error", () => {});
  try {
    await migrate(drizzle({ client: pool }), { migrationsFolder });
  } finally {
    await pool.end();
  }
}
