// A sliding-window counter, one Durable Object per key (for example `login:ana`), so the
// limit holds across every Worker isolate. Callers check before doing expensive work
// (hashing) and record only what should count (failures).
import { DurableObject } from "cloudflare:workers";

export interface LimitVerdict {
  allowed: boolean;
  /** Seconds until the oldest counted event leaves the window (0 when allowed). */
  retryAfterSeconds: number;
}

export class RateLimiter extends DurableObject {
  #events: number[] | undefined;

  async #load(windowMs: number): Promise<number[]> {
    this.#events ??= (await this.ctx.storage.get<number[]>("events")) ?? [];
    const horizon = Date.now() - windowMs;
    this.#events = this.#events.filter((at) => at > horizon);
    return this.#events;
  }

  async check(limit: number, windowMs: number): Promise<LimitVerdict> {
    const events = await this.#load(windowMs);
    if (events.length < limit) return { allowed: true, retryAfterSeconds: 0 };
    const oldest = events[events.length - limit] ?? Date.now();
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - Date.now()) / 1000)),
    };
  }

  async record(windowMs: number): Promise<void> {
    const events = await this.#load(windowMs);
    events.push(Date.now());
    await this.ctx.storage.put("events", events);
  }

  /** Check and record in one step: for limits that count every attempt. */
  async consume(limit: number, windowMs: number): Promise<LimitVerdict> {
    const verdict = await this.check(limit, windowMs);
    if (verdict.allowed) await this.record(windowMs);
    return verdict;
  }

  async clear(): Promise<void> {
    this.#events = [];
    await this.ctx.storage.deleteAll();
  }
}
