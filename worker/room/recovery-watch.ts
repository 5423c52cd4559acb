// While Postgres is away, rooms wait for it to come back without each retrying on its own
// growing backoff: catch-up used to lag the database's return by up to that backoff (4 to
// 10 s). The rooms of an isolate share one record of when the database last answered.
// Each waiting room looks at it about once a second (no I/O), and whichever room looks
// first after a second without news asks Postgres itself (one cheap query): about one
// probe a second per isolate however many rooms wait, and every room sees the answer
// within about a second. Each room probes in its own I/O context, since workerd does not
// let one Durable Object finish another's I/O. Pure state; the room owns the timers.

/** How often a waiting room looks, and the least time between two probes of an isolate. */
export const RECOVERY_CHECK_MS = 1_000;

export class RecoveryWatch {
  #answeredAt = Number.NEGATIVE_INFINITY;
  #probedAt = Number.NEGATIVE_INFINITY;

  /** Postgres answered (a flush or a probe) at `now`. */
  noteAnswered(now: number): void {
    if (now > this.#answeredAt) this.#answeredAt = now;
  }

  /** Whether Postgres has answered since `failedAt` (a room's last failed flush). */
  answeredSince(failedAt: number): boolean {
    return this.#answeredAt > failedAt;
  }

  /** Claims the next probe: true for at most one caller per `intervalMs`. */
  claimProbe(now: number, intervalMs: number = RECOVERY_CHECK_MS): boolean {
    if (now - this.#probedAt < intervalMs) return false;
    this.#probedAt = now;
    return true;
  }
}

/** A waiting room's next look, jittered so the rooms of an isolate do not look in step. */
export function recoveryCheckDelayMs(random: () => number = Math.random): number {
  return Math.round(RECOVERY_CHECK_MS * (0.75 + random() * 0.5));
}

/** The isolate's watch: module state is shared by the Durable Objects one isolate runs. */
export const recoveryWatch = new RecoveryWatch();
