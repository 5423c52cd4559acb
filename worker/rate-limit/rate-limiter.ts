// A sliding-window counter, one Durable Object per key (for example `login:ana`), so the
// limit holds across every Worker isolate. The only way in is `reserve`: it checks and
// counts in one call, before the caller does the expensive work (hashing). A check and a
// later record as two calls let concurrent requests all pass the check first.
import { DurableObject } from "cloudflare:workers";

export interface LimitVerdict {
  allowed: boolean;
  /** Seconds until the oldest counted event leaves the window (0 when allowed). */
  retryAfterSeconds: number;
  /** The counted event, for `giveBack` (null when refused). */
  reservation: number | null;
}

interface Window {
  events: number[];
  windowMs: number;
}

export class RateLimiter extends DurableObject {
  #window: Window | undefined;

  async #load(windowMs: number): Promise<Window> {
    this.#window ??= (await this.ctx.storage.get<Window>("window")) ?? { events: [], windowMs };
    const horizon = Date.now() - windowMs;
    this.#window = { events: this.#window.events.filter((at) => at > horizon), windowMs };
    return this.#window;
  }

  /**
   * Counts one attempt if fewer than `limit` were counted in the window, else refuses.
   * The object runs one call at a time and nothing here waits on anything but its own
   * storage, so no other call sees the count between the check and the increment.
   */
  async reserve(limit: number, windowMs: number): Promise<LimitVerdict> {
    const window = await this.#load(windowMs);
    const { events } = window;
    const now = Date.now();
    if (events.length >= limit) {
      const oldest = events[events.length - limit] ?? now;
      return {
        allowed: false,
        retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
        reservation: null,
      };
    }
    // Distinct values, so that giving one back removes exactly that one.
    const at = Math.max(now, (events.at(-1) ?? 0) + 1);
    events.push(at);
    await this.#save(window);
    return { allowed: true, retryAfterSeconds: 0, reservation: at };
  }

  /** Counts every attempt, for limits where nothing is given back (sign-ups, invitations). */
  consume(limit: number, windowMs: number): Promise<LimitVerdict> {
    return this.reserve(limit, windowMs);
  }

  /** Uncounts a reserved attempt that turned out not to be one (e.g. the right password). */
  async giveBack(reservation: number): Promise<void> {
    const window = this.#window ?? (await this.ctx.storage.get<Window>("window"));
    const index = window?.events.indexOf(reservation) ?? -1;
    if (!window || index === -1) return;
    window.events.splice(index, 1);
    this.#window = window;
    await this.#save(window);
  }

  /** Forgets the key once its window is empty: one object per address or name must not linger. */
  override async alarm(): Promise<void> {
    const stored = this.#window ?? (await this.ctx.storage.get<Window>("window"));
    if (!stored) return;
    const window = await this.#load(stored.windowMs);
    if (window.events.length > 0) {
      await this.#save(window);
      return;
    }
    this.#window = undefined;
    await this.ctx.storage.deleteAll();
  }

  async #save(window: Window): Promise<void> {
    await this.ctx.storage.put("window", window);
    const newest = window.events.at(-1);
    if (newest !== undefined) await this.ctx.storage.setAlarm(newest + window.windowMs);
  }
}
