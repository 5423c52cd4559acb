import type { Context } from "hono";
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app-types.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { passwordProblem } from "../auth/password-policy.ts";
import { listOwnedPrivateRooms } from "../db/rooms.ts";
import { findUserById, setPasswordHash } from "../db/users.ts";
import { ApiError } from "../http-error.ts";
import {
  endSession,
  issueCookie,
  requireSession,
  requireUser,
  socketUpgradeHeaders,
} from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import type { SessionEndReason, UserRef } from "../protocol/room-protocol.ts";
import { LOGIN_FAILURES, reserveAttempt, reserveHashing } from "../rate-limit/limits.ts";
import { userHub } from "../user/user-hub.ts";
import { accountPassword } from "./auth.ts";
import { pathIds, sessionId } from "./path-ids.ts";

const passwordChange = v.object({ currentPassword: v.string("is required"), newPassword: accountPassword });

export const me = new Hono<AppEnv>()
  .get("/", async (c) => {
    const session = requireSession(c);
    if (session.guest) return c.json({ user: { id: session.id, username: session.name, guest: true } });
    // The token is valid, but the account may have been deleted since it was issued.
    const user = await findUserById(c.get("db")(), session.id);
    if (!user) throw new ApiError(401, "unauthenticated", "This account no longer exists.");
    return c.json({ user: { id: user.id, username: user.username, guest: false } });
  })
  // The user's own live channel: friends' presence, requests and room invitations, their
  // rooms' counts and the online total. Same rules as room sockets: the app's own Origin,
  // and a session. Guests have one too (no friends, no rooms): while it is open they count
  // as online, like everyone else.
  .get("/ws", async (c) => {
    // The hub checks the session version itself: one call to it instead of two.
    const headers = socketUpgradeHeaders(c);
    const user = requireSession(c);
    const response = await userHub(c.env, user.id).fetch("https://hub.internal/ws", { headers });
    if (response.status === 401) throw new ApiError(401, "unauthenticated", "Sign in first.");
    return response;
  })
  // The private rooms this user created: the settings page manages them.
  .get("/rooms", async (c) => {
    const user = requireUser(c);
    const rooms = await listOwnedPrivateRooms(c.get("db")(), user.id);
    return c.json({ rooms: rooms.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) });
  })
  // Changing the password ends every other session of the account at once (cookies and
  // sockets); this browser keeps its session with a fresh cookie. Wrong current passwords
  // count like failed log-ins, checked before any hashing.
  .post("/password", validate("json", passwordChange), async (c) => {
    const session = requireUser(c);
    // The policy needs the username, which comes from the session; it costs nothing, so
    // it goes before the limits and the hashing.
    const problem = passwordProblem(c.req.valid("json").newPassword, session.name);
    if (problem) {
      throw new ApiError(400, "invalid_input", `newPassword: ${problem}`, { field: "newPassword" });
    }
    await reserveHashing(c.env, { address: c.req.header("CF-Connecting-IP"), accountId: session.id });
    const attempt = await reserveAttempt(
      c.env,
      `login:${session.name}`,
      LOGIN_FAILURES,
      "Too many wrong passwords for this account. Try again in a minute.",
    );
    const db = c.get("db")();
    const user = await findUserById(db, session.id);
    if (!user) throw new ApiError(401, "unauthenticated", "This account no longer exists.");
    const { currentPassword, newPassword } = c.req.valid("json");
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      throw new ApiError(403, "wrong_password", "Your current password is not right.", {
        field: "currentPassword",
      });
    }
    await attempt.giveBack();
    await setPasswordHash(db, user.id, await hashPassword(newPassword));
    await endOtherSessions(c, session, "password_changed");
    return c.body(null, 204);
  })
  // Settings: the signed-in browsers of this account, and signing any of them out.
  .get("/sessions", async (c) => {
    const user = requireUser(c);
    const current = c.get("sessionId");
    const sessions = await userHub(c.env, user.id).listSessions();
    return c.json({
      sessions: sessions.map((s) => ({
        id: s.id,
        browser: s.browser,
        createdAt: new Date(s.createdAt).toISOString(),
        lastActiveAt: new Date(s.lastActiveAt).toISOString(),
        current: s.id === current,
      })),
    });
  })
  // "Sign out everywhere else".
  .delete("/sessions", async (c) => {
    await endOtherSessions(c, requireUser(c), "signed_out");
    return c.body(null, 204);
  })
  .delete("/sessions/:sid", pathIds({ sid: sessionId }), async (c) => {
    const user = requireUser(c);
    const { sid } = c.req.valid("param");
    if (!(await userHub(c.env, user.id).endSession(user.id, sid))) {
      throw new ApiError(404, "session_not_found", "That session has already ended.");
    }
    if (sid === c.get("sessionId")) endSession(c);
    return c.body(null, 204);
  });

/**
 * Ends every session of the account but this one (cookies and sockets, here and in every
 * room); this browser goes on with a fresh cookie of the account's new session version.
 */
async function endOtherSessions(c: Context<AppEnv>, user: UserRef, why: SessionEndReason): Promise<void> {
  const sid = c.get("sessionId") ?? "";
  const sv = await userHub(c.env, user.id).endOtherSessions(user.id, sid, why);
  await issueCookie(c, { user, sid, sv });
}
