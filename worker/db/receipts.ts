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
 * Saves receipt marks; a reader of a public room becomes a member on their first receipt,
 * joining where they first read (nothing before counts as unread for them). `greatest`
 * keeps the marks monotonic even if an older write arrives late. Marks of an account that
 * no longer exists are skipped, not refused: they are flushed with the room's messages,
 * and one refused row would hold every message of the batch back. Returns who became a
 * member with these marks (their first receipt here).
 */
export async function saveReceipts(db: Database, roomId: string, receipts: Receipt[]): Promise<string[]> {
  if (receipts.length === 0) return [];
  const marks = JSON.stringify(
    receipts.map((r) => ({ user_id: r.userId, delivered: r.delivered, read: r.read })),
  );
  const saved = await db.execute<{ user_id: string; joined: boolean }>(sql`
    insert into room_members (room_id, user_id, delivered_seq, read_seq, joined_seq)
    select ${roomId}, u.id, m.delivered, m.read, greatest(m.delivered, m.read)
    from jsonb_to_recordset(${marks}::jsonb) as m(user_id text, delivered bigint, read bigint)
    join users u on u.id = m.user_id::uuid
    on conflict (room_id, user_id) do update set
      delivered_seq = greatest(room_members.delivered_seq, excluded.delivered_seq),
      read_seq = greatest(room_members.read_seq, excluded.read_seq)
    returning user_id, (xmax = 0) as joined`);
  return saved.rows.filter((row) => row.joined).map((row) => row.user_id);
}
