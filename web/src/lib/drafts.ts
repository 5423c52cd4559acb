// What a person has typed but not sent, kept per room in localStorage so switching rooms
// or reloading does not lose it. A draft can be private: sign-out forgets every key under
// DRAFT_PREFIX (signed-out.ts does it with the account's other keys; `clearAllDrafts()`
// does just the drafts). Pure over a small storage interface, unit-tested in Node.
import type { KeyValueStore } from "./outbox.ts";

export const DRAFT_PREFIX = "chattr:draft:";

/** The part of `Storage` that can list its keys (to clear every draft). */
export interface ListableStore extends KeyValueStore {
  readonly length: number;
  key(index: number): string | null;
}

function browserStorage(): ListableStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function draftKey(roomId: string): string {
  return `${DRAFT_PREFIX}${roomId}`;
}

export function loadDraft(roomId: string, store: KeyValueStore | null = browserStorage()): string {
  try {
    return store?.getItem(draftKey(roomId)) ?? "";
  } catch {
    return "";
  }
}

/** Keeps `text` as the room's draft; an empty (or blank) text removes it. */
export function saveDraft(
  roomId: string,
  text: string,
  store: KeyValueStore | null = browserStorage(),
): void {
  try {
    if (text.trim() === "") store?.removeItem(draftKey(roomId));
    else store?.setItem(draftKey(roomId), text);
  } catch {
    // Storage full or blocked: the draft lives only as long as the page.
  }
}

/** Forgets every room's draft (on sign-out). */
export function clearAllDrafts(store: ListableStore | null = browserStorage()): void {
  if (!store) return;
  try {
    const keys: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const key = store.key(i);
      if (key?.startsWith(DRAFT_PREFIX)) keys.push(key);
    }
    for (const key of keys) store.removeItem(key);
  } catch {
    // Blocked storage holds no drafts.
  }
}
