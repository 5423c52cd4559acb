// Who is typing in a room: memory only, each entry expiring TYPING_TTL_MS after its last
// refresh. Pure (time is passed in) so the rules are tested without a runtime.
import { TYPING_TTL_MS, type UserRef } from "../protocol/room-protocol.ts";

export class TypingTracker {
  readonly #entries = new Map<string, { user: UserRef; expiresAt: number }>();

  /** Starts or refreshes typing; true when the user was not typing before (worth telling). */
  start(user: UserRef, now: number): boolean {
    const known = this.#entries.has(user.id);
    this.#entries.set(user.id, { user, expiresAt: now + TYPING_TTL_MS });
    return !known;
  }

  /** Stops typing; the user who stopped, or null when they were not typing. */
  stop(userId: string): UserRef | null {
    const entry = this.#entries.get(userId);
    if (!entry) return null;
    this.#entries.delete(userId);
    return entry.user;
  }

  /** Removes and returns everyone whose typing has expired by `now`. */
  expire(now: number): UserRef[] {
    const expired: UserRef[] = [];
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt <= now) {
        this.#entries.delete(id);
        expired.push(entry.user);
      }
    }
    return expired;
  }

  /** When the next entry expires, or null when nobody is typing. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const entry of this.#entries.values())
      if (next === null || entry.expiresAt < next) next = entry.expiresAt;
    return next;
  }

  users(): UserRef[] {
    return [...this.#entries.values()].map((entry) => entry.user);
  }
}
