// Who is typing in a room: memory only, each entry expiring TYPING_TTL_MS after its last
// refresh. A user's start goes out at most once per TYPING_REPEAT_MS: a client that toggles
// typing on and off as fast as it can (2,000 frames reached every watcher 2,000 times)
// makes at most one start and one stop per interval. A start inside the interval is not
// lost but deferred to its end (someone who sends and at once types on is shown typing),
// and a stop before then cancels it unseen.
// Pure (time is passed in) so the rules are tested without a runtime.
import { TYPING_REPEAT_MS, TYPING_TTL_MS, type UserRef } from "../protocol/room-protocol.ts";

interface Entry {
  user: UserRef;
  expiresAt: number;
}

export class TypingTracker {
  readonly #entries = new Map<string, Entry>();
  /** Starts inside a user's interval, due when it ends (`startedAt + TYPING_REPEAT_MS`). */
  readonly #deferred = new Map<string, Entry & { dueAt: number }>();
  /** When each user's typing last went out, kept for TYPING_REPEAT_MS (pruned by `expire`). */
  readonly #startedAt = new Map<string, number>();

  /**
   * Starts or refreshes typing; true when the user was not typing before (worth telling now).
   * A start within TYPING_REPEAT_MS of the user's last is deferred: false now, and `due`
   * answers it when the interval ends.
   */
  start(user: UserRef, now: number): boolean {
    const entry = this.#entries.get(user.id) ?? this.#deferred.get(user.id);
    if (entry) {
      entry.expiresAt = now + TYPING_TTL_MS;
      return false;
    }
    const startedAt = this.#startedAt.get(user.id);
    if (startedAt !== undefined && now - startedAt < TYPING_REPEAT_MS) {
      this.#deferred.set(user.id, {
        user,
        expiresAt: now + TYPING_TTL_MS,
        dueAt: startedAt + TYPING_REPEAT_MS,
      });
      return false;
    }
    this.#entries.set(user.id, { user, expiresAt: now + TYPING_TTL_MS });
    this.#startedAt.set(user.id, now);
    return true;
  }

  /** Stops typing; the user who stopped, or null when nobody was told they were typing. */
  stop(userId: string): UserRef | null {
    this.#deferred.delete(userId);
    const entry = this.#entries.get(userId);
    if (!entry) return null;
    this.#entries.delete(userId);
    return entry.user;
  }

  /** Deferred starts whose interval has ended by `now`: they are typing now (worth telling). */
  due(now: number): UserRef[] {
    const started: UserRef[] = [];
    for (const [id, entry] of this.#deferred) {
      if (entry.dueAt > now) continue;
      this.#deferred.delete(id);
      if (entry.expiresAt <= now) continue;
      this.#entries.set(id, { user: entry.user, expiresAt: entry.expiresAt });
      this.#startedAt.set(id, now);
      started.push(entry.user);
    }
    return started;
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

  /** When the next entry expires or deferred start falls due, or null when there is none. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const entry of this.#entries.values())
      if (next === null || entry.expiresAt < next) next = entry.expiresAt;
    for (const entry of this.#deferred.values()) if (next === null || entry.dueAt < next) next = entry.dueAt;
    return next;
  }

  users(): UserRef[] {
    return [...this.#entries.values()].map((entry) => entry.user);
  }
}
