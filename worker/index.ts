// The Worker: a Hono app for /api/*, with the web app's static assets served in front of
// it by the platform. Durable Object classes are exported from here.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app-types.ts";
import { MissingSecretError } from "./auth/session.ts";
import { GateFull } from "./auth/work-gate.ts";
import { isDatabaseUnavailable } from "./db/client.ts";
import { ApiError } from "./http-error.ts";
import { database } from "./middleware/database.ts";
import { sameOriginWrites } from "./middleware/same-origin.ts";
import { loadSession } from "./middleware/session.ts";
import { auth } from "./routes/auth.ts";
import { friendRoutes } from "./routes/friends.ts";
import { health } from "./routes/health.ts";
import { inviteRoutes } from "./routes/invites.ts";
import { me } from "./routes/me.ts";
import { online } from "./routes/online.ts";
import { roomRoutes } from "./routes/rooms.ts";
import { session } from "./routes/session.ts";

export { RateLimiter } from "./rate-limit/rate-limiter.ts";
export { ChatRoom } from "./room/chat-room.ts";
export { OnlineDirectory } from "./user/online-directory.ts";
export { UserHub } from "./user/user-hub.ts";

const app = new Hono<AppEnv>().basePath("/api");

app.use(
  secureHeaders({
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    referrerPolicy: "strict-origin-when-cross-origin",
    crossOriginResourcePolicy: "same-origin",
  }),
);
app.use(async (c, next) => {
  await next();
  c.header("Cache-Control", "no-store");
});
app.use(
  bodyLimit({
    maxSize: 16 * 1024,
    onError: () => {
      throw new ApiError(413, "body_too_large", "The request body is larger than 16 KiB.");
    },
  }),
);
app.use(sameOriginWrites);
app.use(database);
app.use(loadSession);

app.route("/health", health);
app.route("/auth", auth);
app.route("/me", me);
app.route("/session", session);
app.route("/rooms", roomRoutes);
app.route("/invites", inviteRoutes);
app.route("/friends", friendRoutes);
app.route("/online", online);

app.notFound(() => {
  throw new ApiError(404, "not_found", "No such API route.");
});

app.onError((error, c) => {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(error.toJSON(), error.status);
  }
  if (error instanceof HTTPException) {
    // Hono's own (e.g. malformed JSON from the validator).
    return c.json({ error: { code: "bad_request", message: error.message } }, error.status);
  }
  if (error instanceof GateFull) {
    c.header("Retry-After", "2");
    return c.json(
      {
        error: {
          code: "busy",
          message: "The server is busy checking passwords; try again in a few seconds.",
        },
      },
      503,
    );
  }
  if (error instanceof MissingSecretError) {
    console.error(error.message);
    return c.json({ error: { code: "misconfigured", message: "The server is not configured." } }, 500);
  }
  if (isDatabaseUnavailable(error)) {
    console.error(`${c.req.method} ${c.req.path}: database unavailable:`, error);
    return c.json(
      { error: { code: "database_unavailable", message: "The database is unavailable; try again shortly." } },
      503,
    );
  }
  console.error(`${c.req.method} ${c.req.path}: unhandled error:`, error);
  return c.json({ error: { code: "internal_error", message: "Something went wrong." } }, 500);
});

export default app;
