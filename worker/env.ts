import type { RateLimiter } from "./rate-limit/rate-limiter.ts";
import type { ChatRoom } from "./room/chat-room.ts";
import type { OnlineDirectory } from "./user/online-directory.ts";
import type { UserHub } from "./user/user-hub.ts";

/** Bindings and settings, as declared in wrangler.toml (secrets via `wrangler secret put`). */
export interface Env {
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  USER_HUB: DurableObjectNamespace<UserHub>;
  ONLINE_DIRECTORY: DurableObjectNamespace<OnlineDirectory>;
  /** Postgres connection string (Neon in production). Secret. */
  DATABASE_URL: string;
  /** At least 32 random characters. Secret; `npm run dev` generates a local one. */
  SESSION_SECRET?: string;
  /** `host:port` of the local WebSocket→TCP bridge; unset in production. */
  DB_BRIDGE?: string;
  /** Milliseconds without a ping before a room socket counts as gone (default 60 000). */
  PRESENCE_TIMEOUT_MS?: string;
  /** Milliseconds a user stays "online" after their last app socket closes (default 2 000). */
  OFFLINE_GRACE_MS?: string;
  /** The app's public origin, when it differs from the request URL's (e.g. behind a proxy). */
  APP_ORIGIN?: string;
}
