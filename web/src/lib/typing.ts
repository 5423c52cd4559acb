// Typing indicators, both ways. Pure logic (time is passed in), unit-tested in Node.
import { TYPING_REFRESH_MS, TYPING_TTL_MS, type UserRef } from "../../../worker/protocol/room-protocol.ts";

/** "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…", or "". */
export function typingText(users: readonly Pick<UserRef, "name">[]): string {
  const [first, second] = users;
  if (!first) return "";
  if (!second) return `${first.name} is typing…`;
  if (users.length === 2) return `${first.name} and ${second.name} are typing…`;
  return "Several people are typing…";
}

/**
 * Who else is typing. Every `active: true` lasts TYPING_TTL_MS unless refreshed, so an
 * indicator can never get stuck even if the room's `active: false` is lost.
 */
export class TypingTracker {
  readonly #meId: string;
  readonly #ttl: number;
  #typing = new Map<string, { user: UserRef; expiresAt: number }>();

  constructor(meId: string, ttlMs: number = TYPING_TTL_MS) {
    this.#meId = meId;
    this.#ttl = ttlMs;
  }

  /** Applies a `typing` frame; returns whether the visible list may have changed. */
  set(user: UserRef, active: boolean, now: number): boolean {
    if (user.id === this.#meId) return false;
    if (active) {
      const had = this.#typing.has(user.id);
      this.#typing.set(user.id, { user, expiresAt: now + this.#ttl });
      return !had;
    }
    return this.#typing.delete(user.id);
  }

  /** Replaces everything (a `ready` frame's list). */
  reset(users: readonly UserRef[], now: number): void {
    this.#typing = new Map();
    for (const user of users) this.set(user, true, now);
  }

  /** Keeps only these users (e.g. those still online); returns whether any was dropped. */
  retain(userIds: ReadonlySet<string>): boolean {
    let changed = false;
    for (const id of [...this.#typing.keys()]) {
      if (!userIds.has(id)) changed = this.#typing.delete(id) || changed;
    }
    return changed;
  }

  /** Drops expired entries; returns whether any was dropped. */
  prune(now: number): boolean {
    let changed = false;
    for (const [id, entry] of this.#typing) {
      if (entry.expiresAt <= now) changed = this.#typing.delete(id) || changed;
    }
    return changed;
  }

  /** Users typing at `now`, in the order they started. */
  users(now: number): UserRef[] {
    return [...this.#typing.values()].filter((e) => e.expiresAt > now).map((e) => e.user);
  }

  /** When the next entry expires, or undefined when nobody is typing. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const { expiresAt } of this.#typing.values()) {
      if (next === undefined || expiresAt < next) next = expiresAt;
    }
    return next;
  }
}

/**
 * This user's own typing state: decides when the composer sends `typing {active}`.
 * `true` at most every TYPING_REFRESH_MS while the text changes and is not empty; `false`
 * once when it becomes empty or the composer loses focus.
 */
export class TypingSignal {
  readonly #refresh: number;
  #active = false;
  #lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(refreshMs: number = TYPING_REFRESH_MS) {
    this.#refresh = refreshMs;
  }

  get active(): boolean {
    return this.#active;
  }

  /** The text changed: returns the frame value to send, or null. */
  input(text: string, now: number): boolean | null {
    if (text.trim() === "") return this.stop();
    if (this.#active && now - this.#lastSentAt < this.#refresh) return null;
    this.#active = true;
    this.#lastSentAt = now;
    return true;
  }

  /** Empty input or blur: returns false if the room was told we were typing, else null. */
  stop(): false | null {
    if (!this.#active) return null;
    this.#active = false;
    return false;
  }

  /** The room cleared it already (a message was sent, or the socket closed). */
  cleared(): void {
    this.#active = false;
    this.#lastSentAt = Number.NEGATIVE_INFINITY;
  }
}
