// Embedded PostgreSQL for local development and tests: PGlite (Postgres compiled to
// WebAssembly) served on a loopback TCP port by pglite-socket. Nothing to install.
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { freePort } from "../lib/free-port.ts";

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
  // PGlite runs a single backend; the server multiplexes clients onto it. With the
  // default of 1, a second concurrent client is dropped rather than queued.
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 64 });
  await server.start();
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
