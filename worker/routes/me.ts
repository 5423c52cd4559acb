import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app-types.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import { passwordProblem } from "../auth/password-policy.ts";
import { listOwnedPrivateRooms } from "../db/rooms.ts";
import { findUserById, setPasswordHash } from "../db/users.ts";
import { ApiError } from "../http-error.ts";
import { requireSession, requireUser, socketUpgradeHeaders, startSession } from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import { LOGIN_FAILURES, limiter, limitHashingByAddress, rejectIfLimited } from "../rate-limit/limits.ts";
import { userHub } from "../user/user-hub.ts";
import { accountPassword } from "./auth.ts";

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
  // The user's own live channel: friends' presence, requests and room invitations. Same
  // rules as room sockets: the app's own Origin, and a session (an account: guests have
  // no friends).
  .get("/ws", async (c) => {
    // The hub checks the session version itself: one call to it instead of two.
    const headers = socketUpgradeHeaders(c);
    const user = requireUser(c);
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
    const failures = limiter(c.env, `login:${session.name}`);
    rejectIfLimited(
      await failures.check(LOGIN_FAILURES.limit, LOGIN_FAILURES.windowMs),
      "Too many wrong passwords for this account. Try again in a minute.",
    );
    await limitHashingByAddress(c.env, c.req.header("CF-Connecting-IP"));
    const db = c.get("db")();
    const user = await findUserById(db, session.id);
    if (!user) throw new ApiError(401, "unauthenticated", "This account no longer exists.");
    const { currentPassword, newPassword } = c.req.valid("json");
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      await failures.record(LOGIN_FAILURES.windowMs);
      throw new ApiError(403, "wrong_password", "Your current password is not right.", {
        field: "currentPassword",
      });
    }
    await setPasswordHash(db, user.id, await hashPassword(newPassword));
    const sid = c.get("sessionId") ?? undefined;
    await userHub(c.env, user.id).endOtherSessions(user.id, sid ?? "");
    await startSession(c, session, sid);
    return c.body(null, 204);
  });
