// Direct rooms: the 1:1 conversation of two friends. Its id is random and stored with the
// pair (direct_rooms), never derived from the two user ids: a derivable id would let anyone
// with two user ids ask the API whether those two people talk.

/** `dm-` and 32 hex digits (128 random bits); fits ROOM_ID. */
export function newDirectRoomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `dm-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

/** The pair in the order direct_rooms stores it (user_low < user_high, as Postgres orders uuids). */
export function sortedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}
