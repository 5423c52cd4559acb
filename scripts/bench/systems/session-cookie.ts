// Bench users are not signed up (argon2id would dominate set-up): the bench starts each
// server, so it knows the session secret and mints every client's cookie itself, for a
// fresh user id with session version 0. Chattr and the peer check the same cookie.
import { randomUUID } from "node:crypto";
import { SESSION_COOKIE, signSession } from "../../../worker/auth/session.ts";

/** A `Cookie` header value carrying a fresh non-guest user's session. */
export async function mintSessionCookie(secret: string, name: string): Promise<string> {
  const token = await signSession(
    { user: { id: randomUUID(), name, guest: false }, sid: randomUUID(), sv: 0 },
    secret,
  );
  return `${SESSION_COOKIE}=${token}`;
}
