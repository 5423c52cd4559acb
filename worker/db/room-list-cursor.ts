// The room list's cursor: where the last page ended, as the sort key of its last room
// (time of last activity, then id). Opaque to clients (base64url of JSON), checked on the
// way in: a cursor is input like any other.

export interface RoomListCursor {
  /** Last activity of the page's last room, ms since the epoch. */
  at: number;
  id: string;
}

export function encodeCursor(cursor: RoomListCursor): string {
  return btoa(JSON.stringify([cursor.at, cursor.id]))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The cursor, or null when `text` is not one this server made. */
export function decodeCursor(text: string): RoomListCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/")));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return null;
  const [at, id] = parsed as unknown[];
  if (typeof at !== "number" || !Number.isSafeInteger(at) || at < 0) return null;
  if (typeof id !== "string" || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(id)) return null;
  return { at, id };
}
