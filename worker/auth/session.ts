// Sessions are short JWTs signed with HS256 (jose), carried in an HttpOnly cookie. The
// algorithm, issuer and audience are pinned on verification, so a token minted for
// anything else, or with `alg: none`, is refused.
import { errors, jwtVerify, SignJWT } from "jose";
import type { UserRef } from "../protocol/room-protocol.ts";
import { idleLimitMs } from "./session-rules.ts";

export const SESSION_COOKIE = "chattr_session";

/** A cookie lives as long as its session may go unused; using it renews it (middleware/session.ts). */
export function sessionTtlSeconds(user: UserRef): number {
  return idleLimitMs(user.guest) / 1000;
}
const ISSUER = "chattr";
const AUDIENCE = "chattr-web";
const ALGORITHM = "HS256";
/** Claims a session token must carry (verifySession refuses one without them). */
const REQUIRED_CLAIMS = ["sub", "exp", "iat", "sid", "sv"];

export class MissingSecretError extends Error {
  constructor() {
    super(
      "SESSION_SECRET is not set (or shorter than 32 characters): refusing to sign or verify " +
        "sessions. Set it with `wrangler secret put SESSION_SECRET`.",
    );
  }
}

/** The imported key, kept per isolate: importing it took as long as checking a signature. */
let cachedKey: { secret: string; key: SigningKey } | undefined;
type SigningKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

async function key(secret: string | undefined): Promise<SigningKey> {
  if (!secret || secret.length < 32) throw new MissingSecretError();
  if (cachedKey?.secret !== secret) {
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

/**
 * One signed-in browser. `sid` names it (so a password change can keep it while ending
 * the others); `sv` is the account's session version when it was issued: bumping the
 * version ends every session that carries an older one.
 */
export interface Session {
  user: UserRef;
  sid: string;
  sv: number;
}

export function newSessionId(): string {
  return crypto.randomUUID();
}

export async function signSession(session: Session, secret: string | undefined): Promise<string> {
  const { user, sid, sv } = session;
  return new SignJWT({ name: user.name, guest: user.guest, sid, sv })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(user.id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${sessionTtlSeconds(user)}s`)
    .sign(await key(secret));
}

/** A verified cookie's session, and when its token was issued (JWT `iat`, seconds). */
export interface VerifiedSession extends Session {
  issuedAt: number;
}

/** The session, or `null` when the token is missing, forged, expired or malformed. */
export async function verifySession(
  token: string | undefined,
  secret: string | undefined,
): Promise<VerifiedSession | null> {
  const signingKey = await key(secret);
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, signingKey, {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: REQUIRED_CLAIMS,
    });
    const { sub, name, guest, sid, sv, iat } = payload;
    if (
      typeof sub !== "string" ||
      typeof iat !== "number" ||
      typeof name !== "string" ||
      typeof sid !== "string" ||
      typeof sv !== "number"
    ) {
      return null;
    }
    return { user: { id: sub, name, guest: guest === true }, sid, sv, issuedAt: iat };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
