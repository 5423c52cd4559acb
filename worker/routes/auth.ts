import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app-types.ts";
import { DECOY_HASH, hashPassword, verifyPassword } from "../auth/password.ts";
import { passwordProblem } from "../auth/password-policy.ts";
import { findUserByUsername, insertUser, isAccountLookalike, recordLogin } from "../db/users.ts";
import { ApiError } from "../http-error.ts";
import { endSession, startSession } from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import { ACCOUNT_RULES, PASSWORD_LENGTH, USERNAME_PATTERN } from "../protocol/account-rules.ts";
import { displayNameSchema, nameSkeleton } from "../protocol/display-names.ts";
import {
  LOGIN_FAILURES,
  limitGuestSessions,
  limitHashingByAddress,
  limitSignups,
  reserveAttempt,
} from "../rate-limit/limits.ts";
import { userHub } from "../user/user-hub.ts";

export const usernameSchema = v.pipe(
  v.string("is required"),
  v.trim(),
  v.toLowerCase(),
  v.regex(USERNAME_PATTERN, ACCOUNT_RULES.username),
);

export const accountPassword = v.pipe(
  v.string("is required"),
  v.minLength(PASSWORD_LENGTH.min, ACCOUNT_RULES.passwordShort),
  v.maxLength(PASSWORD_LENGTH.max, ACCOUNT_RULES.passwordLong),
);

const credentials = v.object({ username: usernameSchema, password: accountPassword });

/** A new account's password must also pass the policy; log-in never applies it. */
const newAccount = v.pipe(
  credentials,
  v.forward(
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const problem = passwordProblem(dataset.value.password, dataset.value.username);
      if (problem) addIssue({ message: problem });
    }),
    ["password"],
  ),
);

const guestName = v.object({ name: displayNameSchema(32) });

export const auth = new Hono<AppEnv>()
  .post("/signup", validate("json", newAccount), async (c) => {
    const { username, password } = c.req.valid("json");
    const db = c.get("db")();
    // The address's allowance before the name lookup, so probing which names exist costs
    // an attempt and a spent allowance answers the same for taken and free names. A taken
    // name still costs no hashing.
    await limitSignups(c.env, c.req.header("CF-Connecting-IP"));
    if (await findUserByUsername(db, username)) {
      throw new ApiError(409, "username_taken", "That username is taken.", { field: "username" });
    }
    await limitHashingByAddress(c.env, c.req.header("CF-Connecting-IP"));
    const created = await insertUser(db, {
      id: crypto.randomUUID(),
      username,
      passwordHash: await hashPassword(password),
    });
    if (!created) throw new ApiError(409, "username_taken", "That username is taken.", { field: "username" });
    const user = { id: created.id, name: created.username, guest: false };
    await startSession(c, user);
    await recordLogin(db, user.id);
    return c.json({ user }, 201);
  })
  .post("/login", validate("json", credentials), async (c) => {
    const { username, password } = c.req.valid("json");
    // Both limits are reserved before any hashing: parallel guesses cannot pass together.
    await limitHashingByAddress(c.env, c.req.header("CF-Connecting-IP"));
    const attempt = await reserveAttempt(
      c.env,
      `login:${username}`,
      LOGIN_FAILURES,
      "Too many failed log-ins for this account. Try again in a minute.",
    );
    const db = c.get("db")();
    const found = await findUserByUsername(db, username);
    // An unknown name costs the same hashing time as a wrong password.
    const ok = await verifyPassword(password, found?.passwordHash ?? DECOY_HASH);
    if (!found || !ok) throw new ApiError(401, "invalid_credentials", "Wrong username or password.");
    // The right password was no guess: it does not count against the account.
    await attempt.giveBack();
    const user = { id: found.id, name: found.username, guest: false };
    await startSession(c, user);
    await recordLogin(db, user.id);
    return c.json({ user });
  })
  // A guest may read public rooms and talk in the lobby. Their name cannot pass for an
  // account's: names that look like a username (case, lookalike letters, accents) are
  // refused, and guests carry a badge.
  .post("/guest", validate("json", guestName), async (c) => {
    const { name } = c.req.valid("json");
    // Counted before the name check, refused names too: see limitGuestSessions.
    await limitGuestSessions(c.env, c.req.header("CF-Connecting-IP"));
    if (await isAccountLookalike(c.get("db")(), nameSkeleton(name))) {
      throw new ApiError(409, "name_taken", "That name belongs to an account; pick another.", {
        field: "name",
      });
    }
    const user = { id: `g_${crypto.randomUUID()}`, name, guest: true };
    await startSession(c, user);
    return c.json({ user }, 201);
  })
  // Logging out ends the session at its hub: a copy of the cookie is worth nothing after
  // it. Its sockets close (4001), so its user goes offline now.
  .post("/logout", async (c) => {
    const user = c.get("user");
    const sid = c.get("sessionId");
    if (user && sid) await userHub(c.env, user.id).endSession(user.id, sid);
    endSession(c);
    return c.body(null, 204);
  });
