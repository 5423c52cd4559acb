import type { Database } from "./db/client.ts";
import type { Env } from "./env.ts";
import type { UserRef } from "./protocol/room-protocol.ts";

/** What every Hono handler sees: the bindings, the session's user and the database. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** The signed-in user, or null for a visitor. Set by `loadSession`. */
    user: UserRef | null;
    /** The session's id (see auth/session.ts), or null for a visitor. */
    sessionId: string | null;
    /** Opened on first use and ended after the response. */
    db: () => Database;
  };
}
