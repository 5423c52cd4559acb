import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types.ts";
import { SESSION_COOKIE, sessionTtlSeconds, signSession, verifySession } from "../auth/session.ts";
import { ApiError } from "../http-error.ts";
import type { UserRef } from "../protocol/room-protocol.ts";

/** Puts the session's user (or null) on the context. Never rejects by itself. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  c.set("user", await verifySession(getCookie(c, SESSION_COOKIE), c.env.SESSION_SECRET));
  await next();
});

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

export async function startSession(c: Context<AppEnv>, user: UserRef): Promise<void> {
  setCookie(c, SESSION_COOKIE, await signSession(user, c.env.SESSION_SECRET), {
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
