// How many of a kind of thing one account may hold at once: enough that a real person
// never meets the bound, few enough that nobody can grow a table (or someone else's
// screen) without end. The database layer counts under a lock on the account's row and
// asks here; the routes answer 429 with these messages.

/** Rooms an account owns (public and private; direct rooms have no owner). */
export const OWNED_ROOMS_PER_ACCOUNT = 100;
/** Friend requests an account has sent that are still waiting for an answer. */
export const PENDING_FRIEND_REQUESTS_PER_ACCOUNT = 100;

/**
 * What a count-bound 429 tells clients to wait: nothing frees up by itself (the person
 * must delete or cancel something), so this is only when asking again is worth it.
 */
export const QUOTA_RETRY_AFTER_SECONDS = 3600;

export const QUOTA_MESSAGES = {
  ownedRooms: `You own ${OWNED_ROOMS_PER_ACCOUNT} rooms, the most one account may have. Delete one in Settings to make another.`,
  pendingFriendRequests: `You have ${PENDING_FRIEND_REQUESTS_PER_ACCOUNT} friend requests waiting for an answer, the most one account may have. Cancel some to send more.`,
} as const;

export function underQuota(count: number, limit: number): boolean {
  return count < limit;
}
