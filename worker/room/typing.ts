// Who is typing in a room: memory only, each entry expiring TYPING_TTL_MS after its last
// refresh. A user's start counts at most once per TYPING_REPEAT_MS: a client that toggles
// typing on and off as fast as it can (2,000 frames reached every watcher 2,000 times)
// makes at most one start and one stop per interval.
// Pure (time is passed in) so the rules are tested without a runtime.
import { TYPING_REPEAT_MS, TYPING_TTL_MS, type UserRef } from "../protocol/room-protocol.ts";

export class TypingTracker {
  readonly #entries = new Map<string, { user: UserRef; expiresAt: number }>();
  /** When each user's typing last started, kept for TYPING_REPEAT_MS (pruned by `expire`). */
  readonly #startedAt = new Map<string, number>();

  /**
   * Starts or refreshes typing; true when the user was not typing before (worth telling).
   * A start within TYPING_REPEAT_MS of the user's last is dropped: false, and not recorded.
   */
  start(user: UserRef, now: number): boolean {
    const entry = this.#entries.get(user.id);
    if (entry) {
      entry.expiresAt = now + TYPING_TTL_MS;
      return false;
    }
    const startedAt = this.#startedAt.get(user.id);
    if (startedAt !== undefined && now - startedAt < TYPING_REPEAT_MS) return false;
    this.#entries.set(user.id, { user, expiresAt: now + TYPING_TTL_MS });
    this.#startedAt.set(user.id, now);
    return true;
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
    for (const [id, startedAt] of this.#startedAt)
      if (now - startedAt >= TYPING_REPEAT_MS) this.#startedAt.delete(id);
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
