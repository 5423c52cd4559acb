// The limits that guard expensive work. Each is checked before any password hashing.
import type { Env } from "../env.ts";
import { ApiError } from "../http-error.ts";
import { clientKey } from "./client-address.ts";
import type { LimitVerdict } from "./rate-limiter.ts";

export const LOGIN_FAILURES = { limit: 5, windowMs: 60_000 } as const;
/** Wrong private-room passwords per user and room: the 6th try in a minute gets 429. */
export const ROOM_PASSWORD_FAILURES = { limit: 5, windowMs: 60_000 } as const;
/** Hashing requests (sign-ups and log-ins) per client address. */
export const HASHES_PER_ADDRESS = { limit: 30, windowMs: 60_000 } as const;

export function limiter(env: Env, key: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
}

export function rejectIfLimited(verdict: LimitVerdict, message: string): void {
  if (verdict.allowed) return;
  throw new ApiError(
    429,
    "rate_limited",
    message,
    { retryAfter: verdict.retryAfterSeconds },
    {
      "Retry-After": String(verdict.retryAfterSeconds),
    },
  );
}

/** Counts one hashing request for the caller's address (Cloudflare sets CF-Connecting-IP). */
export async function limitHashingByAddress(env: Env, address: string | undefined): Promise<void> {
  const verdict = await limiter(env, `hash:${address ?? "unknown"}`).consume(
    HASHES_PER_ADDRESS.limit,
    HASHES_PER_ADDRESS.windowMs,
  );
  rejectIfLimited(verdict, "Too many attempts from this address. Try again in a minute.");
}

/** Friend requests and room invitations to friends, per sender: enough for people, not for spam. */
export const SOCIAL_ACTIONS = { limit: 30, windowMs: 60_000 } as const;

export async function limitSocialActions(env: Env, userId: string): Promise<void> {
  const verdict = await limiter(env, `social:${userId}`).consume(
    SOCIAL_ACTIONS.limit,
    SOCIAL_ACTIONS.windowMs,
  );
  rejectIfLimited(verdict, "You are sending requests too fast. Try again in a minute.");
}

// ---- New identities per client address ---------------------------------------------------
// Each has a short window, for a burst (a class or an office opening a shared link
// together), and a day, for a total no group behind one address reaches. Every attempt
// counts, a refused name too, so asking whether a name is taken costs an allowance: the
// limit is checked before the name is looked up, and once it is spent the answer is the
// same 429 whether the name exists or not.

interface Allowance {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Guest sessions (`POST /api/auth/guest`) per client address. */
export const GUEST_SESSIONS_PER_ADDRESS = {
  burst: { limit: 30, windowMs: 10 * MINUTE },
  day: { limit: 200, windowMs: DAY },
} as const satisfies Record<string, Allowance>;

/** Sign-up attempts (`POST /api/auth/signup`, taken names included) per client address. */
export const SIGNUPS_PER_ADDRESS = {
  burst: { limit: 20, windowMs: 10 * MINUTE },
  day: { limit: 100, windowMs: DAY },
} as const satisfies Record<string, Allowance>;

function inAbout(seconds: number): string {
  if (seconds <= 90) return "a minute";
  if (seconds < 90 * 60) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

async function consumeAllowances(
  env: Env,
  kind: string,
  address: string | undefined,
  allowances: Record<string, Allowance>,
  tooMany: string,
): Promise<void> {
  const client = clientKey(address);
  for (const [window, { limit, windowMs }] of Object.entries(allowances)) {
    const verdict = await limiter(env, `${kind}:${window}:${client}`).consume(limit, windowMs);
    rejectIfLimited(verdict, `${tooMany} Try again in ${inAbout(verdict.retryAfterSeconds)}.`);
  }
}

export function limitGuestSessions(env: Env, address: string | undefined): Promise<void> {
  return consumeAllowances(
    env,
    "guest",
    address,
    GUEST_SESSIONS_PER_ADDRESS,
    "Too many guest sessions were started from your network.",
  );
}

export function limitSignups(env: Env, address: string | undefined): Promise<void> {
  return consumeAllowances(
    env,
    "signup",
    address,
    SIGNUPS_PER_ADDRESS,
    "Too many sign-ups from your network.",
  );
}
