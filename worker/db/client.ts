// The only way the Worker and its Durable Objects reach Postgres: drizzle-orm over the
// Neon serverless driver's WebSocket Pool, in production and locally alike.
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import * as schema from "../../drizzle/schema.ts";
import { configureNeonForBridge } from "./neon-config.ts";

export type Database = ReturnType<typeof drizzle<typeof schema>>;

export interface DatabaseEnv {
  DATABASE_URL: string;
  DB_BRIDGE?: string;
}

export interface DatabaseHandle {
  db: Database;
  /** Ends the pool: an open outbound socket would keep a Durable Object from hibernating. */
  close(): Promise<void>;
}

let bridgeConfigured: string | undefined;

export function openDatabase(env: DatabaseEnv): DatabaseHandle {
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set");
  if (env.DB_BRIDGE && bridgeConfigured !== env.DB_BRIDGE) {
    configureNeonForBridge(neonConfig, env.DB_BRIDGE);
    bridgeConfigured = env.DB_BRIDGE;
  }
  const pool = new Pool({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
  let ended = false;
  // After `end()` each client socket later reports "Network connection lost"; without a
  // listener that would surface as an unhandled error. Only errors before then matter.
  pool.on("error", (error: Error) => {
    if (!ended) console.warn("postgres pool:", error.message);
  });
  return {
    db: drizzle({ client: pool, schema }),
    close: () => {
      ended = true;
      return pool.end().catch(() => undefined);
    },
  };
}

/** Runs `work` with a fresh pool and always ends it. */
export async function withDatabase<T>(env: DatabaseEnv, work: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDatabase(env);
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

/**
 * True when an error means Postgres could not be reached (as opposed to Postgres
 * answering with an error). Server errors carry a five-character SQLSTATE `code`;
 * connection failures do not (the driver reports them as plain errors or even as the
 * WebSocket's ErrorEvent, so the cause chain is walked as plain objects).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  let fromDriver = false;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 6; depth++) {
    const { code, name, message, cause } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return false;
    if (name === "DrizzleQueryError") fromDriver = true;
    if (
      typeof message === "string" &&
      /connect|terminated|websocket|timeout|network connection/i.test(message)
    ) {
      fromDriver = true;
    }
    current = cause;
  }
  return fromDriver;
}

/** One line for logs: the innermost cause's message (drizzle's own message repeats the SQL). */
export function describeDatabaseError(error: unknown): string {
  let current: unknown = error;
  let message = String(error);
  for (let depth = 0; typeof current === "object" && current !== null && depth < 6; depth++) {
    const next = current as { message?: unknown; cause?: unknown };
    if (typeof next.message === "string") message = next.message;
    current = next.cause;
  }
  return message;
}
