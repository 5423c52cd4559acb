import { describe, expect, it } from "vitest";
import { flushRetryDelayMs } from "../../worker/room/flush-backoff.ts";

describe("flushRetryDelayMs", () => {
  it("doubles from about a second and caps at ten seconds", () => {
    const top = () => 1; // no jitter reduction
    expect([1, 2, 3, 4].map((n) => flushRetryDelayMs(n, top))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(flushRetryDelayMs(5, top)).toBe(10_000);
    expect(flushRetryDelayMs(50, top)).toBe(10_000);
  });

  it("jitters down by at most a quarter", () => {
    expect(flushRetryDelayMs(1, () => 0)).toBe(750);
    expect(flushRetryDelayMs(50, () => 0)).toBe(7_500);
  });
});
