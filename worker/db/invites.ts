import { and, asc, eq, gt, isNull } from "drizzle-orm";
import { invites, rooms } from "../../drizzle/schema.ts";
import type { Database } from "./client.ts";

export async function insertInvite(
  db: Database,
  invite: { token: string; roomId: string; createdBy: string; expiresAt: Date },
): Promise<void> {
  await db.insert(invites).values(invite);
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
export async function revokeInvite(db: Database, roomId: string, token: string): Promise<boolean> {
  const revoked = await db
    .update(invites)
    .set({ revokedAt: new Date() })
    .where(and(eq(invites.token, token), eq(invites.roomId, roomId), isNull(invites.revokedAt)))
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
