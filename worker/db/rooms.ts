import { and, asc, desc, eq, lt, sql } from "drizzle-orm";
import { messages, rooms } from "../../drizzle/schema.ts";
import type { ChatMessage } from "../protocol/room-protocol.ts";
import type { Database } from "./client.ts";

export interface RoomSummary {
  id: string;
  name: string;
  visibility: "public" | "private" | "lobby";
}

const summary = { id: rooms.id, name: rooms.name, visibility: rooms.visibility };

export async function listPublicRooms(db: Database): Promise<RoomSummary[]> {
  // The built-in `general` room first, then the rest oldest first.
  return db
    .select(summary)
    .from(rooms)
    .where(eq(rooms.visibility, "public"))
    .orderBy(desc(sql`${rooms.id} = 'general'`), asc(rooms.createdAt), asc(rooms.id));
}

export async function findRoom(db: Database, id: string): Promise<RoomSummary | null> {
  const [room] = await db.select(summary).from(rooms).where(eq(rooms.id, id));
  return room ?? null;
}

/** The room and the highest `seq` Postgres holds for it (0 when it has no messages). */
export async function findRoomWithLatestSeq(
  db: Database,
  id: string,
): Promise<(RoomSummary & { latestSeq: number }) | null> {
  const [room] = await db
    .select({
      ...summary,
      // Spelled out: drizzle drops table qualifiers inside a sql`` subquery, and an
      // unqualified "id" would mean messages.id here.
      latestSeq:
        sql<number>`(select coalesce(max(m.seq), 0) from messages m where m.room_id = rooms.id)`.mapWith(
          Number,
        ),
    })
    .from(rooms)
    .where(eq(rooms.id, id));
  return room ?? null;
}

export async function insertRoom(
  db: Database,
  room: { id: string; name: string; visibility: "public"; ownerId: string },
): Promise<RoomSummary> {
  const [created] = await db.insert(rooms).values(room).returning(summary);
  if (!created) throw new Error("INSERT … RETURNING gave no row");
  return created;
}

/** A page of history from Postgres: messages below `beforeSeq`, newest first. */
export async function messagesBefore(
  db: Database,
  roomId: string,
  beforeSeq: number,
  limit: number,
): Promise<ChatMessage[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.roomId, roomId), lt(messages.seq, beforeSeq)))
    .orderBy(desc(messages.seq))
    .limit(limit);
  return rows.map((row) => ({
    id: row.id,
    seq: row.seq,
    roomId: row.roomId,
    author: { id: row.authorId, name: row.authorName, guest: row.authorGuest },
    body: row.body,
    createdAt: row.createdAt.toISOString(),
    clientId: row.clientId,
  }));
}
