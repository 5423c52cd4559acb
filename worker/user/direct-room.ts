// Direct rooms: the 1:1 conversation of two friends. Its id is derived from the pair, so
// both sides (and every retry) name the same room without a lookup table.

/** `dm-` and 32 hex digits of SHA-256 over the two ids in sorted order (fits ROOM_ID). */
export async function directRoomId(a: string, b: string): Promise<string> {
  const [first, second] = [a, b].sort();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${first}:${second}`));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `dm-${hex.slice(0, 32)}`;
}
