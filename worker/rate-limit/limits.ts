// The limits that guard guesses and expensive work. Each is reserved before any password
// hashing, in one call to its limiter (rate-limiter.ts), so parallel requests cannot walk
// through it; docs/ARCHITECTURE.md, "Threat model and limits", lists them all.
import { QUOTA_RETRY_AFTER_SECONDS } from "../access/quotas.ts";
import type { Env } from "../env.ts";
import { ApiError } from "../http-error.ts";
import { clientKey } from "./client-address.ts";
import type { LimitVerdict } from "./rate-limiter.ts";

export interface LimitRule {
  limit: number;
  windowMs: number;
}

/** Log-in attempts per account name (and current-password checks): a right one is given back. */
export const LOGIN_FAILURES = { limit: 5, windowMs: 60_000 } as const;
/** Wrong private-room passwords per user and room: the 6th try in a minute gets 429. */
export const ROOM_PASSWORD_FAILURES = { limit: 5, windowMs: 60_000 } as const;
/** Requests that hash a password, per client address. */
export const HASHES_PER_ADDRESS = { limit: 30, windowMs: 60_000 } as const;
/**
 * Requests that hash a password, per signed-in account, over every route: joins with a
 * password, password changes, private rooms made or given a new password. Spread over
 * many rooms and addresses, an account's guesses still stop here.
 */
export const HASHES_PER_ACCOUNT = { limit: 20, windowMs: 60_000 } as const;

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
    { "Retry-After": String(verdict.retryAfterSeconds) },
  );
}

/** An attempt counted against a limit, until given back. */
export interface Reservation {
  /** Uncounts it: the attempt was not a guess after all (the password was right). */
  giveBack(): Promise<void>;
}

/** Counts one attempt for `key`, or throws 429 with Retry-After and `message`. */
export async function reserveAttempt(
  env: Env,
  key: string,
  rule: LimitRule,
  message: string,
): Promise<Reservation> {
  const stub = limiter(env, key);
  const verdict = await stub.reserve(rule.limit, rule.windowMs);
  rejectIfLimited(verdict, message);
  const reservation = verdict.reservation;
  return {
    giveBack: async () => {
      if (reservation !== null) await stub.giveBack(reservation);
    },
  };
}

/**
 * Counts one hashing request for the caller's address (Cloudflare sets CF-Connecting-IP)
 * and, when signed in, for their account. Both are spent: hashing is the cost, whatever
 * the outcome.
 */
export async function reserveHashing(
  env: Env,
  caller: { address: string | undefined; accountId?: string },
): Promise<Reservation> {
  const byAddress = await reserveAttempt(
    env,
    `hash:${clientKey(caller.address)}`,
    HASHES_PER_ADDRESS,
    "Too many attempts from this address. Try again in a minute.",
  );
  let byAccount: Reservation | null = null;
  if (caller.accountId) {
    try {
      byAccount = await reserveAttempt(
        env,
        `hash-account:${caller.accountId}`,
        HASHES_PER_ACCOUNT,
        "Too many password attempts from your account. Try again in a minute.",
      );
    } catch (refused) {
      // Nothing is hashed after all: the address's attempt is not spent.
      await byAddress.giveBack();
      throw refused;
    }
  }
  return {
    giveBack: async () => {
      await Promise.all([byAddress.giveBack(), byAccount?.giveBack()]);
    },
  };
}

/** Friend requests and room invitations to friends, per sender: enough for people, not for spam. */
export const SOCIAL_ACTIONS = { limit: 30, windowMs: 60_000 } as const;

export async function limitSocialActions(env: Env, userId: string): Promise<void> {
  await reserveAttempt(
    env,
    `social:${userId}`,
    SOCIAL_ACTIONS,
    "You are sending requests too fast. Try again in a minute.",
  );
}

/**
 * Changes an owner makes to their rooms (`PATCH /api/rooms/:id`), per account: a topic
 * change goes out to everyone in the room, so it is capped like any other broadcast.
 */
export const ROOM_EDITS = { limit: 20, windowMs: 60_000 } as const;

export async function limitRoomEdits(env: Env, userId: string): Promise<void> {
  await reserveAttempt(
    env,
    `room-edits:${userId}`,
    ROOM_EDITS,
    "You are changing your rooms too fast. Try again in a minute.",
  );
}

/** Sign-up's hashing limit: per address only, as there is no account yet. */
export async function limitHashingByAddress(env: Env, address: string | undefined): Promise<void> {
  await reserveHashing(env, { address });
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

/** Rooms made (`POST /api/rooms`) per client address, whichever accounts make them. */
export const ROOMS_PER_ADDRESS = { limit: 30, windowMs: 60 * MINUTE } as const;

export async function limitRoomCreation(env: Env, address: string | undefined): Promise<void> {
  const verdict = await limiter(env, `rooms:${clientKey(address)}`).consume(
    ROOMS_PER_ADDRESS.limit,
    ROOMS_PER_ADDRESS.windowMs,
  );
  rejectIfLimited(
    verdict,
    `Too many rooms were made from your network. Try again in ${inAbout(verdict.retryAfterSeconds)}.`,
  );
}

/** A count-bound refusal (access/quotas.ts): 429, and a message that says what to remove. */
export function quotaExceeded(message: string): ApiError {
  return new ApiError(
    429,
    "quota_exceeded",
    message,
    { retryAfter: QUOTA_RETRY_AFTER_SECONDS },
    { "Retry-After": String(QUOTA_RETRY_AFTER_SECONDS) },
  );
}
