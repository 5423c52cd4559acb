import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types.ts";
import {
  newSessionId,
  SESSION_COOKIE,
  type Session,
  sessionTtlSeconds,
  signSession,
  verifySession,
} from "../auth/session.ts";
import { ApiError } from "../http-error.ts";
import type { UserRef } from "../protocol/room-protocol.ts";
import { forwardedUpgradeHeaders } from "../sockets/forwarded-upgrade.ts";
import { userHub } from "../user/user-hub.ts";
import { isOwnOrigin } from "./same-origin.ts";

/**
 * The socket upgrades (`GET /:id/ws` in routes/rooms.ts, `GET /ws` in routes/me.ts): the
 * Durable Object behind each confirms the session version itself.
 */
const SOCKET_UPGRADE_PATH = /^\/api\/(rooms\/[^/]+|me)\/ws$/;

/**
 * Puts the session's user (or null) on the context. Never rejects by itself. An account's
 * session also has to carry the account's current session version (its UserHub knows it):
 * after a password change, older cookies count as no session at all. On a socket upgrade
 * the object behind it confirms the version instead (`claimedSessionVersion`): the hub
 * holds it, and a room keeps the hub's answer while the hub would tell it of a change, so
 * an upgrade costs the hub one call at most (a reconnect to a room, none).
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  let session = await verifySession(getCookie(c, SESSION_COOKIE), c.env.SESSION_SECRET);
  let claimedSessionVersion: number | null = null;
  if (session && !session.user.guest) {
    if (SOCKET_UPGRADE_PATH.test(c.req.path)) {
      claimedSessionVersion = session.sv;
    } else {
      const current = await userHub(c.env, session.user.id).sessionVersion();
      if (session.sv !== current) session = null;
    }
  }
  c.set("user", session?.user ?? null);
  c.set("sessionId", session?.sid ?? null);
  c.set("claimedSessionVersion", claimedSessionVersion);
  await next();
});

/**
 * Checks a socket upgrade (a WebSocket, from the app's own Origin) and answers the headers
 * that forward it, with this request's session, to the Durable Object that will hold it.
 */
export function socketUpgradeHeaders(c: Context<AppEnv>): Headers {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket only.");
  }
  // Browsers always send Origin on WebSocket upgrades; refusing foreign ones stops other
  // sites from riding the user's cookie (cross-site WebSocket hijacking).
  if (!isOwnOrigin(c)) {
    throw new ApiError(403, "forbidden_origin", "WebSocket connections must come from this app.");
  }
  return forwardedUpgradeHeaders({
    user: c.get("user"),
    sid: c.get("sessionId") ?? "",
    claimedVersion: c.get("claimedSessionVersion"),
    address: c.req.header("CF-Connecting-IP") ?? "",
  });
}

/** The session's user or guest; 401 for a visitor. */
export function requireSession(c: Context<AppEnv>): UserRef {
  const user = c.get("user");
  if (!user) throw new ApiError(401, "unauthenticated", "Sign in first.");
  return user;
}

/** A signed-in account; 401 for a visitor, 403 for a guest. */
export function requireUser(c: Context<AppEnv>): UserRef {
  const user = requireSession(c);
  if (user.guest) throw new ApiError(403, "account_required", "Sign up or log in to do this.");
  return user;
}

/**
 * Sets the session cookie: a new session, or (with `sid`) a fresh cookie for the same one.
 * Accounts' cookies carry their current session version.
 */
export async function startSession(c: Context<AppEnv>, user: UserRef, sid = newSessionId()): Promise<void> {
  const sv = user.guest ? 0 : await userHub(c.env, user.id).sessionVersion();
  const session: Session = { user, sid, sv };
  setCookie(c, SESSION_COOKIE, await signSession(session, c.env.SESSION_SECRET), {
    httpOnly: true,
    sameSite: "Lax",
    secure: new URL(c.req.url).protocol === "https:",
    path: "/",
    maxAge: sessionTtlSeconds(user),
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: new URL(c.req.url).protocol === "https:" });
}
