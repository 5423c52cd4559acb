import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { invites, rooms } from "../../drizzle/schema.ts";
import { type InviteQuotaVerdict, inviteQuota } from "../access/invite-quota.ts";
import type { Database } from "./client.ts";

/**
 * Adds the invite if the room's live links leave room for it (access/invite-quota.ts).
 * Atomic: the room's row is locked while its live links are counted, so concurrent
 * creations at the cap are counted one after another and only as many as fit get in.
 */
export async function insertInviteWithinQuota(
  db: Database,
  invite: { token: string; roomId: string; createdBy: string; expiresAt: Date },
  now: Date,
): Promise<InviteQuotaVerdict> {
  return db.transaction(async (tx) => {
    // NO KEY UPDATE, not UPDATE: it serialises invite creation without blocking the
    // messages and members written meanwhile (their foreign keys take KEY SHARE).
    const [room] = await tx
      .select({ id: rooms.id })
      .from(rooms)
      .where(eq(rooms.id, invite.roomId))
      .for("no key update");
    if (!room) throw new Error(`room ${invite.roomId} vanished while an invite was made`);
    const live = await tx
      .select({ createdBy: invites.createdBy, expiresAt: invites.expiresAt })
      .from(invites)
      .where(and(eq(invites.roomId, invite.roomId), gt(invites.expiresAt, now), isNull(invites.revokedAt)));
    const verdict = inviteQuota(live, invite.createdBy);
    if (verdict.allowed) await tx.insert(invites).values(invite);
    return verdict;
  });
}

/** A usable invite (not expired, not revoked) and its room, or null. */
export async function findUsableInvite(db: Database, token: string, now: Date) {
  const [found] = await db
    .select({
      roomId: invites.roomId,
      expiresAt: invites.expiresAt,
      room: { id: rooms.id, name: rooms.name, visibility: rooms.visibility, ownerId: rooms.ownerId },
    })
    .from(invites)
    .innerJoin(rooms, eq(rooms.id, invites.roomId))
    .where(and(eq(invites.token, token), gt(invites.expiresAt, now), isNull(invites.revokedAt)));
  return found ?? null;
}

/** Revokes an invite of this room; false when there is no such (live) invite. */
/** Revokes a live invite of the room; `createdBy` limits it to the links that person made. */
export async function revokeInvite(
  db: Database,
  roomId: string,
  token: string,
  createdBy?: string,
): Promise<boolean> {
  const revoked = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(invites.token, token),
        eq(invites.roomId, roomId),
        isNull(invites.revokedAt),
        createdBy === undefined ? undefined : eq(invites.createdBy, createdBy),
      ),
    )
    .returning({ token: invites.token });
  return revoked.length > 0;
}

/** The room's invites that still work, oldest first. */
export async function listLiveInvites(db: Database, roomId: string, now: Date) {
  return db
    .select({ token: invites.token, expiresAt: invites.expiresAt, createdBy: invites.createdBy })
    .from(invites)
    .where(and(eq(invites.roomId, roomId), gt(invites.expiresAt, now), isNull(invites.revokedAt)))
    .orderBy(asc(invites.createdAt));
}
