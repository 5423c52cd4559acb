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
    /**
     * On a socket upgrade only (a room's, the user's hub): the account's session version as
     * its cookie claims it, which the object behind it confirms (`user` is then the
     * cookie's, not yet confirmed). Else null.
     */
    claimedSessionVersion: number | null;
    /** Opened on first use and ended after the response. */
    db: () => Database;
  };
}
