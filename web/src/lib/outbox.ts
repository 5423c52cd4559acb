// The persistent outbox: every message this user typed in a room and the room has not
// acknowledged yet, kept in localStorage so it survives reloads and crashes. Entries are
// resent with their original clientId after every (re)connect, so the room stores each
// one exactly once however often it is sent. Pure logic over a small storage interface,
// so it is unit-tested in Node.

/** The part of `Storage` the outbox needs (localStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface OutboxEntry {
  clientId: string;
  body: string;
  /** Local time of typing, ISO 8601. */
  createdAt: string;
}

const KEY_PREFIX = "chattr.outbox.v1";

export function outboxKey(userId: string, roomId: string): string {
  return `${KEY_PREFIX}:${encodeURIComponent(userId)}:${encodeURIComponent(roomId)}`;
}

function isEntry(value: unknown): value is OutboxEntry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.clientId === "string" &&
    entry.clientId.length > 0 &&
    typeof entry.body === "string" &&
    typeof entry.createdAt === "string"
  );
}

/**
 * One user's unacknowledged sends in one room, oldest first. Every operation reads the
 * store afresh, so two tabs of the same room see each other's entries (the room's clientId
 * check makes a send from both harmless). Storage failures (quota, private mode) degrade
 * to an in-memory outbox instead of losing the message.
 */
export class Outbox {
  readonly #key: string;
  readonly #store: KeyValueStore | null;
  #memory: OutboxEntry[] = [];

  constructor(store: KeyValueStore | null, userId: string, roomId: string) {
    this.#store = store;
    this.#key = outboxKey(userId, roomId);
  }

  entries(): OutboxEntry[] {
    if (!this.#store) return [...this.#memory];
    let raw: string | null;
    try {
      raw = this.#store.getItem(this.#key);
    } catch {
      return [...this.#memory];
    }
    if (raw === null) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      if (!Array.isArray(parsed)) return [];
      const seen = new Set<string>();
      return parsed.filter((entry): entry is OutboxEntry => {
        if (!isEntry(entry) || seen.has(entry.clientId)) return false;
        seen.add(entry.clientId);
        return true;
      });
    } catch {
      return [];
    }
  }

  add(entry: OutboxEntry): void {
    const entries = this.entries();
    if (entries.some((e) => e.clientId === entry.clientId)) return;
    this.#write([...entries, entry]);
  }

  /** Forgets the given clientIds (acked, echoed or refused for good). */
  remove(...clientIds: string[]): void {
    if (clientIds.length === 0) return;
    const gone = new Set(clientIds);
    const entries = this.entries();
    const kept = entries.filter((e) => !gone.has(e.clientId));
    if (kept.length !== entries.length) this.#write(kept);
  }

  has(clientId: string): boolean {
    return this.entries().some((e) => e.clientId === clientId);
  }

  #write(entries: OutboxEntry[]): void {
    this.#memory = entries;
    if (!this.#store) return;
    try {
      if (entries.length === 0) this.#store.removeItem(this.#key);
      else this.#store.setItem(this.#key, JSON.stringify(entries));
    } catch {
      // Keep going from memory: the message still goes out while this page is open.
    }
  }
}

/** A Map-backed store, for tests and for when localStorage is unavailable. */
export class MemoryStore implements KeyValueStore {
  readonly #data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.#data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.#data.set(key, value);
  }
  removeItem(key: string): void {
    this.#data.delete(key);
  }
}

/**
 * Client-side pacing of sends, a token bucket a little stricter than the room's flood
 * limit (5/s, burst 20), so that flushing a long outbox never trips the limit and the
 * messages arrive in order. A person typing never notices it.
 */
export class SendPacer {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #updatedAt: number;

  constructor(now: number, ratePerSecond = 4, burst = 10) {
    this.#rate = ratePerSecond;
    this.#burst = burst;
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  /** Takes a token and returns 0, or returns how many ms to wait before one is free. */
  take(now: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#updatedAt) / 1000) * this.#rate);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
  }
}
