import { and, eq, gt, or, sql } from "drizzle-orm";
import { roomMembers, users } from "../../drizzle/schema.ts";
import type { Receipt } from "../protocol/room-protocol.ts";
import type { Database } from "./client.ts";

/** The receipt marks Postgres holds for a room's members. */
export async function loadReceipts(db: Database, roomId: string): Promise<Receipt[]> {
  return db
    .select({
      userId: roomMembers.userId,
      name: users.username,
      delivered: roomMembers.deliveredSeq,
      read: roomMembers.readSeq,
    })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(
      and(eq(roomMembers.roomId, roomId), or(gt(roomMembers.deliveredSeq, 0), gt(roomMembers.readSeq, 0))),
    );
}

/**
 * Saves receipt marks; a reader of a public room becomes a member on their first receipt.
 * `greatest` keeps the marks monotonic even if an older write arrives late.
 */
export async function saveReceipts(db: Database, roomId: string, receipts: Receipt[]): Promise<void> {
  if (receipts.length === 0) return;
  await db
    .insert(roomMembers)
    .values(
      receipts.map((r) => ({
        roomId,
        userId: r.userId,
        deliveredSeq: r.delivered,
        readSeq: r.read,
        // A reader of a public room joins where they first read: nothing before counts as unread.
        joinedSeq: Math.max(r.delivered, r.read),
      })),
    )
    .onConflictDoUpdate({
      target: [roomMembers.roomId, roomMembers.userId],
      set: {
        deliveredSeq: sql`greatest(${roomMembers.deliveredSeq}, excluded.delivered_seq)`,
        readSeq: sql`greatest(${roomMembers.readSeq}, excluded.read_seq)`,
      },
    });
}
