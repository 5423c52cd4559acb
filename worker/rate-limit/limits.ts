// The limits that guard expensive work. Each is checked before any password hashing.
import type { Env } from "../env.ts";
import { ApiError } from "../http-error.ts";
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
