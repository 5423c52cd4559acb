// The last room a person opened, kept in localStorage (`chattr:last-room`) so the home page
// can take them back there. Kept per account: on a shared browser one person's last room
// is never another's. Pure over a storage interface, so the rules are unit-tested.

export const LAST_ROOM_KEY = "chattr:last-room";

/** The part of `Storage` this needs (localStorage in the app). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** The room `userId` opened last, or null (none, someone else's, or unreadable). */
export function lastRoomOf(store: KeyValueStore, userId: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(store.getItem(LAST_ROOM_KEY) ?? "null");
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed.userId !== userId || typeof parsed.roomId !== "string") return null;
  return parsed.roomId || null;
}

export function rememberLastRoom(store: KeyValueStore, userId: string, roomId: string): void {
  store.setItem(LAST_ROOM_KEY, JSON.stringify({ userId, roomId }));
}

/** Forgets the last room (all of it, or only if it is `roomId`: a room just left or gone). */
export function forgetLastRoom(store: KeyValueStore, roomId?: string): void {
  if (roomId !== undefined) {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(store.getItem(LAST_ROOM_KEY) ?? "null");
    } catch {
      // Unreadable: forget it below.
    }
    if (isRecord(parsed) && parsed.roomId !== roomId) return;
  }
  store.removeItem(LAST_ROOM_KEY);
}
