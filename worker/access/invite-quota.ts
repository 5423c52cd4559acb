// How many live invite links a room may hold: enough that a real person never meets the
// limit, few enough that nobody can grow the invites table (or the owner's Settings list)
// without bound. Pure: the database layer counts under a lock and asks here.

/** Live links per room, and per person per room (so one member cannot use up the room's). */
export const INVITE_LIMITS = { perRoom: 50, perCreator: 20 } as const;

export interface LiveInvite {
  createdBy: string;
  expiresAt: Date;
}

export type InviteQuotaVerdict =
  | { allowed: true }
  | {
      allowed: false;
      scope: "room" | "creator";
      limit: number;
      /** When the oldest of the links that fill the limit expires, making room for one. */
      freesAt: Date;
    };

/** Whether `creator` may add one more link to a room whose live links are `live`. */
export function inviteQuota(live: readonly LiveInvite[], creator: string): InviteQuotaVerdict {
  const own = live.filter((invite) => invite.createdBy === creator);
  if (own.length >= INVITE_LIMITS.perCreator) {
    return { allowed: false, scope: "creator", limit: INVITE_LIMITS.perCreator, freesAt: soonest(own) };
  }
  if (live.length >= INVITE_LIMITS.perRoom) {
    return { allowed: false, scope: "room", limit: INVITE_LIMITS.perRoom, freesAt: soonest(live) };
  }
  return { allowed: true };
}

function soonest(invites: readonly LiveInvite[]): Date {
  return new Date(Math.min(...invites.map((invite) => invite.expiresAt.getTime())));
}

/** "in about 3 hours": when a refused person can try again, in words. */
export function inWords(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 90) return minutes === 1 ? "in about a minute" : `in about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in about ${hours} hours`;
  return `in about ${Math.round(hours / 24)} days`;
}

/** The message a refused person reads. */
export function quotaMessage(verdict: Exclude<InviteQuotaVerdict, { allowed: true }>, now: Date): string {
  const when = inWords(verdict.freesAt.getTime() - now.getTime());
  return verdict.scope === "creator"
    ? `You have ${verdict.limit} live invite links to this room, the most one person may have. ` +
        `The room's owner can revoke links in Settings; otherwise your oldest expires ${when}.`
    : `This room has ${verdict.limit} live invite links, the most it may have. ` +
        `Its owner can revoke some in Settings; otherwise the oldest expires ${when}.`;
}
