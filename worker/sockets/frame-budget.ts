// Per-socket flood control for the frames that are not sends (sends have their own
// allowance, room/send-limit.ts): typing, receipts, `hello`, hub frames and bad frames. A
// token bucket: a burst, then a steady rate; a `hello` costs more because it is answered
// with a whole `ready`. Past the budget frames are dropped, and the client is told once;
// a client that keeps flooding is cut off (4008).
// Pure (time is passed in) and O(1) per frame with no allocation: it runs on every frame
// of the message path.

/** Frames a socket may send at once… */
export const FRAME_BURST = 60;
/** …and per second after that. An ordinary client sends a few a second at most. */
export const FRAME_RATE_PER_SECOND = 10;
/** What a `hello` costs: it makes the server build and send a whole `ready`. */
export const HELLO_COST = 10;
/**
 * Dropped frames are counted in a bucket that drains at this rate; past DROPS_BEFORE_CLOSE
 * the socket is closed. A client over the rate but under twice it loses frames and stays;
 * a flood (an instant one, or twice the rate for a while) is cut off.
 */
export const DROPS_DRAIN_PER_SECOND = FRAME_RATE_PER_SECOND;
export const DROPS_BEFORE_CLOSE = 50;

/** `refused`: dropped, and the first drop since the client was last within budget (tell it). */
export type FrameVerdict = "allowed" | "dropped" | "refused" | "cut_off";

export class FrameBudget {
  #tokens = FRAME_BURST;
  #drops = 0;
  #updatedAt: number;
  /** Whether the client was told it is over budget since its budget was last full. */
  #told = false;

  constructor(now: number) {
    this.#updatedAt = now;
  }

  take(cost: number, now: number): FrameVerdict {
    const seconds = Math.max(0, now - this.#updatedAt) / 1000;
    this.#updatedAt = now;
    this.#tokens = Math.min(FRAME_BURST, this.#tokens + seconds * FRAME_RATE_PER_SECOND);
    this.#drops = Math.max(0, this.#drops - seconds * DROPS_DRAIN_PER_SECOND);
    // Told again only after a calm spell long enough to refill the whole burst.
    if (this.#tokens >= FRAME_BURST) this.#told = false;
    if (this.#tokens >= cost) {
      this.#tokens -= cost;
      return "allowed";
    }
    this.#drops += 1;
    if (this.#drops > DROPS_BEFORE_CLOSE) return "cut_off";
    if (this.#told) return "dropped";
    this.#told = true;
    return "refused";
  }
}
