// Friendships in Postgres: one row per pair of people, a pending request or an accepted
// friendship. The pair is unique in either direction (see the `friendships_pair` index).
import { aliasedTable, and, eq, inArray, or, sql } from "drizzle-orm";
import { friendships, users } from "../../drizzle/schema.ts";
import { PENDING_FRIEND_REQUESTS_PER_ACCOUNT, underQuota } from "../access/quotas.ts";
import type { Database } from "./client.ts";

export interface Person {
  id: string;
  username: string;
}

export interface FriendshipRow {
  id: string;
  status: "pending" | "accepted";
  requester: Person;
  addressee: Person;
}

export interface PersonWithTimes extends Person {
  lastSeenAt: Date | null;
  lastLoginAt: Date | null;
}

const requester = aliasedTable(users, "requester");
const addressee = aliasedTable(users, "addressee");

function pair(a: string, b: string) {
  return or(
    and(eq(friendships.requesterId, a), eq(friendships.addresseeId, b)),
    and(eq(friendships.requesterId, b), eq(friendships.addresseeId, a)),
  );
}

/** The row between two people, in either direction, or null. */
export async function findFriendship(db: Database, a: string, b: string): Promise<FriendshipRow | null> {
  const [row] = await selectRows(db).where(pair(a, b));
  return row ?? null;
}

export async function findFriendshipById(db: Database, id: string): Promise<FriendshipRow | null> {
  const [row] = await selectRows(db).where(eq(friendships.id, id));
  return row ?? null;
}

/** Every row this user is part of: friends, requests to them and requests from them. */
export async function listFriendships(db: Database, userId: string): Promise<FriendshipRow[]> {
  return selectRows(db)
    .where(or(eq(friendships.requesterId, userId), eq(friendships.addresseeId, userId)))
    .orderBy(friendships.createdAt);
}

function selectRows(db: Database) {
  return db
    .select({
      id: friendships.id,
      status: friendships.status,
      requester: { id: requester.id, username: requester.username },
      addressee: { id: addressee.id, username: addressee.username },
    })
    .from(friendships)
    .innerJoin(requester, eq(requester.id, friendships.requesterId))
    .innerJoin(addressee, eq(addressee.id, friendships.addresseeId));
}

/** A new pending request; null when the pair already has a row (a race with the other side). */
/**
 * Sends a friend request: `conflict` when the pair already has a row (theirs, if they
 * asked at the same moment), `over_quota` when the requester already has
 * PENDING_FRIEND_REQUESTS_PER_ACCOUNT waiting. The requester's row, locked, orders their
 * requests, so the count cannot be raced.
 */
export async function insertFriendRequest(
  db: Database,
  request: { id: string; requesterId: string; addresseeId: string },
): Promise<{ status: "created"; id: string } | { status: "conflict" | "over_quota" }> {
  return db.transaction(async (tx) => {
    await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, request.requesterId))
      .for("no key update");
    const [pending] = await tx
      .select({ count: sql<number>`count(*)`.mapWith(Number) })
      .from(friendships)
      .where(and(eq(friendships.requesterId, request.requesterId), eq(friendships.status, "pending")));
    if (!underQuota(pending?.count ?? 0, PENDING_FRIEND_REQUESTS_PER_ACCOUNT))
      return { status: "over_quota" };
    const [created] = await tx
      .insert(friendships)
      .values(request)
      .onConflictDoNothing()
      .returning({ id: friendships.id });
    return created ? { status: "created", id: created.id } : { status: "conflict" };
  });
}

export async function acceptFriendRequest(db: Database, id: string, addresseeId: string): Promise<boolean> {
  const accepted = await db
    .update(friendships)
    .set({ status: "accepted", acceptedAt: new Date() })
    .where(
      and(
        eq(friendships.id, id),
        eq(friendships.addresseeId, addresseeId),
        eq(friendships.status, "pending"),
      ),
    )
    .returning({ id: friendships.id });
  return accepted.length > 0;
}

/**
 * Deletes a pending request that `userId` received (`as: "addressee"`, declining) or sent
 * (`as: "requester"`, cancelling). Returns both sides' ids, or null when there is no such request.
 */
export async function deleteFriendRequest(
  db: Database,
  id: string,
  userId: string,
  as: "addressee" | "requester",
): Promise<{ requesterId: string; addresseeId: string } | null> {
  const [deleted] = await db
    .delete(friendships)
    .where(
      and(
        eq(friendships.id, id),
        eq(friendships.status, "pending"),
        eq(as === "addressee" ? friendships.addresseeId : friendships.requesterId, userId),
      ),
    )
    .returning({ requesterId: friendships.requesterId, addresseeId: friendships.addresseeId });
  return deleted ?? null;
}

/** Ends an accepted friendship; false when the two were not friends. */
export async function deleteFriendship(db: Database, a: string, b: string): Promise<boolean> {
  const deleted = await db
    .delete(friendships)
    .where(and(pair(a, b), eq(friendships.status, "accepted")))
    .returning({ id: friendships.id });
  return deleted.length > 0;
}

export async function areFriends(db: Database, a: string, b: string): Promise<boolean> {
  const row = await findFriendship(db, a, b);
  return row?.status === "accepted";
}

/** The other person of an accepted friendship of `userId`'s, or null when they are not friends. */
export async function findFriend(db: Database, userId: string, otherId: string): Promise<Person | null> {
  const row = await findFriendship(db, userId, otherId);
  if (row?.status !== "accepted") return null;
  return row.requester.id === userId ? row.addressee : row.requester;
}

/** Names and times of these people (for friend list entries). */
export async function peopleWithTimes(db: Database, ids: string[]): Promise<PersonWithTimes[]> {
  if (ids.length === 0) return [];
  return db
    .select({
      id: users.id,
      username: users.username,
      lastSeenAt: users.lastSeenAt,
      lastLoginAt: users.lastLoginAt,
    })
    .from(users)
    .where(inArray(users.id, ids));
}

export async function recordOnline(db: Database, userId: string, online: boolean): Promise<void> {
  await db.update(users).set({ online }).where(eq(users.id, userId));
}

export async function recordLastSeen(db: Database, userId: string, at: Date): Promise<void> {
  await db.update(users).set({ lastSeenAt: at }).where(eq(users.id, userId));
}
