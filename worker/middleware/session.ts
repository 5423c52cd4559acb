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
  type VerifiedSession,
  verifySession,
} from "../auth/session.ts";
import { describeBrowser, shouldRenewCookie } from "../auth/session-rules.ts";
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
 * Puts the session's user (or null) on the context. Never rejects by itself. The session
 * also has to count at its account's UserHub (not logged out, not idle, of the account's
 * current version): a cookie of an ended session counts as no session at all. A cookie a
 * day old or more is re-issued, so a session in use never expires. On a socket upgrade the
 * object behind it confirms the session instead (`claimedSessionVersion`): the hub holds
 * it, and a room keeps the hub's answer while the hub would tell it of a change, so an
 * upgrade costs the hub one call at most (a reconnect to a room, none).
 */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const cookie = getCookie(c, SESSION_COOKIE, isHttps(c) ? "host" : undefined);
  let session: VerifiedSession | null = await verifySession(cookie, c.env.SESSION_SECRET);
  let claimedSessionVersion: number | null = null;
  if (session) {
    if (SOCKET_UPGRADE_PATH.test(c.req.path)) {
      claimedSessionVersion = session.sv;
    } else {
      const { user, sid, sv } = session;
      const counts = await userHub(c.env, user.id).confirmSession(user.id, sid, sv, browserOf(c));
      if (!counts) session = null;
      else if (shouldRenewCookie(session.issuedAt, Date.now())) await issueCookie(c, session);
    }
  }
  c.set("user", session?.user ?? null);
  c.set("sessionId", session?.sid ?? null);
  c.set("claimedSessionVersion", claimedSessionVersion);
  await next();
});

function browserOf(c: Context<AppEnv>): string {
  return describeBrowser(c.req.header("User-Agent"));
}

function isHttps(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === "https:";
}

/**
 * Over https the cookie is `__Host-chattr_session`: the browser takes a `__Host-` cookie
 * only from this exact origin, over https, with Secure, Path=/ and no Domain, so nobody on
 * plain http or on a sibling subdomain can plant or overwrite it. Over https the bare name
 * is never read: a bare `chattr_session` can be tossed in by such an attacker (their own
 * valid session, signing the victim into the attacker's account). Plain http (local
 * development) cannot carry a `__Host-` cookie, so it keeps the bare name.
 */
function cookieOptions(c: Context<AppEnv>) {
  return isHttps(c) ? ({ prefix: "host", secure: true, path: "/" } as const) : { secure: false, path: "/" };
}

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

/** A new session for `user` (sign-up, log-in, guest): recorded by their hub, and its cookie set. */
export async function startSession(c: Context<AppEnv>, user: UserRef): Promise<void> {
  const sid = newSessionId();
  const sv = await userHub(c.env, user.id).openSession(user.id, sid, browserOf(c));
  await issueCookie(c, { user, sid, sv });
}

/** Sets the cookie for a session: a new one, or a fresh token for one that goes on. */
export async function issueCookie(c: Context<AppEnv>, session: Session): Promise<void> {
  setCookie(c, SESSION_COOKIE, await signSession(session, c.env.SESSION_SECRET), {
    ...cookieOptions(c),
    httpOnly: true,
    sameSite: "Lax",
    maxAge: sessionTtlSeconds(session.user),
  });
}

export function endSession(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}
