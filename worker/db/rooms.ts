import { and, asc, desc, eq, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { directRooms, invites, messages, roomMembers, rooms, users } from "../../drizzle/schema.ts";
import { OWNED_ROOMS_PER_ACCOUNT, underQuota } from "../access/quotas.ts";
import type { RoomVisibility } from "../access/room-access.ts";
import type { ChatMessage } from "../protocol/room-protocol.ts";
import { sortedPair } from "../user/direct-room.ts";
import type { Database } from "./client.ts";

export interface RoomSummary {
  id: string;
  name: string;
  visibility: RoomVisibility;
}

export interface RoomRecord extends RoomSummary {
  ownerId: string | null;
  passwordHash: string | null;
  topic: string | null;
}

const summary = { id: rooms.id, name: rooms.name, visibility: rooms.visibility };

/**
 * The rooms a viewer may see listed: public rooms and the lobby for everyone, plus the
 * private and direct rooms the user is a member of. Built-in rooms first, then oldest first.
 */
export async function findRoom(db: Database, id: string): Promise<RoomRecord | null> {
  const [room] = await db
    .select({ ...summary, ownerId: rooms.ownerId, passwordHash: rooms.passwordHash, topic: rooms.topic })
    .from(rooms)
    .where(eq(rooms.id, id));
  return room ?? null;
}

/** The room and the highest `seq` Postgres holds for it (0 when it has no messages). */
export async function findRoomWithLatestSeq(
  db: Database,
  id: string,
): Promise<(RoomSummary & { ownerId: string | null; latestSeq: number }) | null> {
  const [room] = await db
    .select({
      ...summary,
      ownerId: rooms.ownerId,
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

/**
 * Creates a room with its owner as first member, in one transaction; null when the owner
 * already has OWNED_ROOMS_PER_ACCOUNT.
 */
export async function insertRoom(
  db: Database,
  room: {
    id: string;
    name: string;
    visibility: "public" | "private";
    ownerId: string;
    passwordHash?: string;
  },
): Promise<RoomSummary | null> {
  return db.transaction(async (tx) => {
    // The owner's row, locked, orders an account's room creations: the count below cannot
    // be raced. NO KEY UPDATE does not block writes that only reference the account.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, room.ownerId)).for("no key update");
    const [owned] = await tx
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(rooms)
      .where(eq(rooms.ownerId, room.ownerId));
    if (!underQuota(owned?.count ?? 0, OWNED_ROOMS_PER_ACCOUNT)) return null;
    const [created] = await tx.insert(rooms).values(room).returning(summary);
    if (!created) throw new Error("INSERT … RETURNING gave no row");
    await tx.insert(roomMembers).values({ roomId: room.id, userId: room.ownerId, role: "owner" });
    return created;
  });
}

export async function isMember(db: Database, roomId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ one: sql`1` })
    .from(roomMembers)
    .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)));
  return rows.length > 0;
}

/** A new member's unread count starts at the room's latest message (as its last push said). */
export async function addMember(db: Database, roomId: string, userId: string): Promise<void> {
  const joinedSeq = sql<number>`coalesce((select latest_seq from room_activity where room_id = ${roomId}), 0)`;
  await db.insert(roomMembers).values({ roomId, userId, joinedSeq }).onConflictDoNothing();
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

/** The private rooms a user created, for their settings page. */
export async function listOwnedPrivateRooms(db: Database, ownerId: string) {
  return db
    .select({ ...summary, createdAt: rooms.createdAt })
    .from(rooms)
    .where(and(eq(rooms.ownerId, ownerId), eq(rooms.visibility, "private")))
    .orderBy(asc(rooms.createdAt));
}

/**
 * Renames the room and/or sets its password. A new password also revokes, in the same
 * transaction, every live invite the owner did not make: the owner changes it to shut
 * people out, and a link a (former) member made would otherwise still let them in.
 */
export async function updateRoom(
  db: Database,
  id: string,
  changes: { name?: string; passwordHash?: string; topic?: string | null },
) {
  await db.transaction(async (tx) => {
    await tx.update(rooms).set(changes).where(eq(rooms.id, id));
    if (changes.passwordHash !== undefined) {
      await tx
        .update(invites)
        .set({ revokedAt: sql`now()` })
        .where(
          and(
            eq(invites.roomId, id),
            isNull(invites.revokedAt),
            sql`${invites.createdBy} is distinct from (select ${rooms.ownerId} from ${rooms} where ${rooms.id} = ${id})`,
          ),
        );
    }
  });
}

/** Deletes the room; its members, invites and history go with it (foreign keys cascade). */
export async function deleteRoom(db: Database, id: string): Promise<void> {
  await db.delete(rooms).where(eq(rooms.id, id));
}

/**
 * Removes a member and, in the same transaction, revokes the invites they made, whoever
 * holds them now: removed means removed, not "back in through a link of one's own".
 */
export async function removeMember(db: Database, roomId: string, userId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(roomMembers)
      .where(and(eq(roomMembers.roomId, roomId), eq(roomMembers.userId, userId)))
      .returning({ userId: roomMembers.userId });
    if (removed.length === 0) return false;
    await tx
      .update(invites)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(invites.roomId, roomId), eq(invites.createdBy, userId), isNull(invites.revokedAt)));
    return true;
  });
}

/** A room's members, the owner first, then by when they joined. */
export async function listMembers(db: Database, roomId: string) {
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      role: roomMembers.role,
      joinedAt: roomMembers.joinedAt,
      lastSeenAt: users.lastSeenAt,
    })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(eq(roomMembers.roomId, roomId))
    .orderBy(desc(sql`${roomMembers.role} = 'owner'`), asc(roomMembers.joinedAt), asc(users.username));
  return rows.map((r) => ({
    ...r,
    joinedAt: r.joinedAt.toISOString(),
    lastSeenAt: r.lastSeenAt?.toISOString() ?? null,
  }));
}

/**
 * The direct room of two people: created (with both as members, under a fresh random id)
 * the first time, the same room every time after. Race-safe: when both click "Message" at
 * once, the pair's unique key lets one room win; the loser drops the room it had begun.
 */
export async function openDirectRoom(
  db: Database,
  newId: string,
  people: [{ id: string; username: string }, { id: string; username: string }],
): Promise<RoomSummary> {
  const [userLow, userHigh] = sortedPair(people[0].id, people[1].id);
  const pair = and(eq(directRooms.userLow, userLow), eq(directRooms.userHigh, userHigh));
  return db.transaction(async (tx) => {
    const [known] = await tx.select({ id: directRooms.roomId }).from(directRooms).where(pair);
    let id = known?.id;
    if (!id) {
      const name = people.map((p) => p.username).join(" & ");
      await tx.insert(rooms).values({ id: newId, name, visibility: "direct", ownerId: null });
      // Waits for a concurrent first click's transaction; if that one committed, ours loses.
      const [claimed] = await tx
        .insert(directRooms)
        .values({ roomId: newId, userLow, userHigh })
        .onConflictDoNothing({ target: [directRooms.userLow, directRooms.userHigh] })
        .returning({ id: directRooms.roomId });
      if (!claimed) await tx.delete(rooms).where(eq(rooms.id, newId));
      // Read committed: this statement sees the winner's committed row.
      const [winner] = await tx.select({ id: directRooms.roomId }).from(directRooms).where(pair);
      id = winner?.id;
    }
    if (!id) throw new Error("the pair's direct room vanished inside its transaction");
    // Both belong to it, whoever made it (an old room may have lost a member row).
    await tx
      .insert(roomMembers)
      .values(people.map((p) => ({ roomId: id, userId: p.id })))
      .onConflictDoNothing();
    const [room] = await tx.select(summary).from(rooms).where(eq(rooms.id, id));
    if (!room) throw new Error(`direct room ${id} vanished inside its transaction`);
    return room;
  });
}

/** For each of these direct rooms, the member who is not `userId`. */
export async function directPeers(
  db: Database,
  userId: string,
  roomIds: string[],
): Promise<Map<string, { id: string; username: string }>> {
  if (roomIds.length === 0) return new Map();
  const rows = await db
    .select({ roomId: roomMembers.roomId, id: users.id, username: users.username })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(and(inArray(roomMembers.roomId, roomIds), ne(roomMembers.userId, userId)));
  return new Map(rows.map((r) => [r.roomId, { id: r.id, username: r.username }]));
}

/** The room's members whose app is open now (their hubs keep `users.online`), for live counts. */
export async function onlineMembers(
  db: Database,
  roomId: string,
): Promise<{ userId: string; joinedSeq: number }[]> {
  return db
    .select({ userId: roomMembers.userId, joinedSeq: roomMembers.joinedSeq })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(and(eq(roomMembers.roomId, roomId), eq(users.online, true)));
}
