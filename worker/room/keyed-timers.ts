// One pending timer per key (the room keeps them per user): setting a key's timer replaces
// the one it had, and a timer that fires is forgotten before its callback runs.
export class KeyedTimers<K> {
  readonly #timers = new Map<K, ReturnType<typeof setTimeout>>();

  /** Runs `fn` after `ms` unless the key's timer is cancelled or set again first. */
  set(key: K, ms: number, fn: () => void): void {
    this.cancel(key);
    this.#timers.set(
      key,
      setTimeout(() => {
        this.#timers.delete(key);
        fn();
      }, ms),
    );
  }

  has(key: K): boolean {
    return this.#timers.has(key);
  }

  /** Answers whether a timer was pending. */
  cancel(key: K): boolean {
    const timer = this.#timers.get(key);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.#timers.delete(key);
    return true;
  }

  cancelAll(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
