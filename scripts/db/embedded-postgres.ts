// Embedded PostgreSQL for local development and tests: PGlite (Postgres compiled to
// WebAssembly) served on a loopback TCP port (pglite-server.ts). Nothing to install.
import { PGlite } from "@electric-sql/pglite";
import { freePort } from "../lib/free-port.ts";
import { PGliteServer } from "./pglite-server.ts";

export interface EmbeddedPostgres {
  host: string;
  port: number;
  /** A connection string for clients that speak the wire protocol (through the bridge). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite. `dataDir` persists data across restarts; without it the database lives
 * in memory and vanishes on stop (what tests want).
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(dataDir ?? "memory://");
  const host = "127.0.0.1";
  const port = await freePort();
  // PGlite runs a single backend; the server lets clients take turns on it.
  const server = new PGliteServer(db);
  await server.listen(port, host);
  return {
    host,
    port,
    url: `postgres://postgres:postgres@${host}:${port}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
