// A user's friend list as the API and the hub socket show it: who their friends are and
// which requests wait comes from Postgres; whether each friend is online, and when they
// were last seen, comes from the friend's own UserHub (it knows before Postgres does).
import type { Database } from "../db/client.ts";
import { type FriendshipRow, listFriendships, type PersonWithTimes, peopleWithTimes } from "../db/friends.ts";
import type { Env } from "../env.ts";
import { compareFriends, type Friend, type FriendList, person } from "../protocol/hub-protocol.ts";
import { userHub } from "./user-hub.ts";

export async function loadFriendList(env: Env, db: Database, userId: string): Promise<FriendList> {
  const rows = await listFriendships(db, userId);
  const other = (row: FriendshipRow) => (row.requester.id === userId ? row.addressee : row.requester);
  const friendIds = rows.filter((r) => r.status === "accepted").map((r) => other(r).id);
  const people = await peopleWithTimes(db, friendIds);
  const friends = await Promise.all(people.map((p) => friendEntry(env, p)));
  friends.sort(compareFriends);
  const pending = rows.filter((r) => r.status === "pending");
  return {
    friends,
    incoming: pending
      .filter((r) => r.addressee.id === userId)
      .map((r) => ({ id: r.id, from: person(r.requester) })),
    outgoing: pending
      .filter((r) => r.requester.id === userId)
      .map((r) => ({ id: r.id, to: person(r.addressee) })),
  };
}

/** One friend's entry: their hub's live presence, Postgres's times as the fallback. */
export async function friendEntry(env: Env, p: PersonWithTimes): Promise<Friend> {
  const presence = await userHub(env, p.id)
    .presence()
    .catch((error: unknown) => {
      console.warn(`friend list: no presence from ${p.id}'s hub`, error);
      return null;
    });
  const online = presence?.online ?? false;
  const lastSeen = presence?.lastSeenAt ?? p.lastSeenAt?.getTime() ?? null;
  return {
    id: p.id,
    username: p.username,
    online,
    lastSeenAt: online || lastSeen === null ? null : new Date(lastSeen).toISOString(),
    lastLoginAt: p.lastLoginAt?.toISOString() ?? null,
  };
}
