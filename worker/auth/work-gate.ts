// At most a few password hashes at once in one isolate. Each argon2id hash holds 19 MiB
// while it runs, and `argon2idAsync` yields between slices, so without a gate an isolate
// interleaves every hash it is asked for: 60 at once held over a gigabyte, in an isolate
// that has 128 MB in production.
//
// A waiting request polls on its own timer instead of being woken by the one that finishes:
// workerd does not let one request resolve a promise another is waiting on (the waiter's
// continuation would run in the wrong request's context, and a request that waits on
// nothing of its own is cancelled as "will never complete").

export class GateFull extends Error {
  constructor() {
    super("too many hashes waiting in this isolate");
  }
}

export interface GateOptions {
  /** How many may run at once. */
  concurrency: number;
  /** How long a caller waits for a slot before GateFull. */
  maxWaitMs: number;
  /** How often a waiting caller looks again. */
  pollMs: number;
  /** Waits `ms` (on the caller's own timer); injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export class WorkGate {
  #running = 0;
  readonly #options: Required<GateOptions>;

  constructor(options: GateOptions) {
    this.#options = {
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      ...options,
    };
  }

  get running(): number {
    return this.#running;
  }

  /** Runs `work` once a slot is free; throws GateFull when none frees up in time. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const { concurrency, maxWaitMs, pollMs, sleep, now } = this.#options;
    const giveUpAt = now() + maxWaitMs;
    while (this.#running >= concurrency) {
      if (now() >= giveUpAt) throw new GateFull();
      await sleep(pollMs);
    }
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
    }
  }
}
