// Per-member flood control for sends: a token bucket (steady rate with a burst), plus a
// count of refused sends so that a client that keeps flooding after being told is cut off.
// Pure (time is passed in) so the rules are tested without a runtime.

export const SEND_RATE_PER_SECOND = 5;
export const SEND_BURST = 20;
/** More refused sends than this within the window closes the socket with 4008. */
export const REFUSALS_BEFORE_CLOSE = 50;
export const REFUSAL_WINDOW_MS = 10_000;

export type SendVerdict = "allowed" | "refused" | "cut_off";

export class SendLimiter {
  #tokens = SEND_BURST;
  #updatedAt: number;
  #refusals: number[] = [];

  constructor(now: number) {
    this.#updatedAt = now;
  }

  /** Whether a send now would be allowed, without taking anything. */
  allows(now: number): boolean {
    this.#refill(now);
    return this.#tokens >= 1;
  }

  take(now: number): SendVerdict {
    this.#refill(now);
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return "allowed";
    }
    this.#refusals = this.#refusals.filter((at) => at > now - REFUSAL_WINDOW_MS);
    this.#refusals.push(now);
    return this.#refusals.length > REFUSALS_BEFORE_CLOSE ? "cut_off" : "refused";
  }

  #refill(now: number): void {
    this.#tokens = Math.min(
      SEND_BURST,
      this.#tokens + ((now - this.#updatedAt) / 1000) * SEND_RATE_PER_SECOND,
    );
    this.#updatedAt = now;
  }
}
