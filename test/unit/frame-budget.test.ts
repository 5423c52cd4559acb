import { describe, expect, it } from "vitest";
import {
  DROPS_BEFORE_CLOSE,
  FRAME_BURST,
  FRAME_RATE_PER_SECOND,
  FrameBudget,
  HELLO_COST,
} from "../../worker/sockets/frame-budget.ts";

function takeMany(budget: FrameBudget, count: number, now: number, cost = 1) {
  return Array.from({ length: count }, () => budget.take(cost, now));
}

describe("FrameBudget", () => {
  it("allows a burst, then tells the client once and drops the rest silently", () => {
    const budget = new FrameBudget(0);
    expect(takeMany(budget, FRAME_BURST, 0).every((v) => v === "allowed")).toBe(true);
    expect(budget.take(1, 0)).toBe("refused");
    expect(takeMany(budget, 10, 0).every((v) => v === "dropped")).toBe(true);
  });

  it("refills at the steady rate", () => {
    const budget = new FrameBudget(0);
    takeMany(budget, FRAME_BURST, 0);
    expect(takeMany(budget, FRAME_RATE_PER_SECOND, 1_000).every((v) => v === "allowed")).toBe(true);
    expect(budget.take(1, 1_000)).not.toBe("allowed");
  });

  it("a hello costs more", () => {
    const budget = new FrameBudget(0);
    const hellos = takeMany(budget, FRAME_BURST, 0, HELLO_COST);
    expect(hellos.filter((v) => v === "allowed")).toHaveLength(Math.floor(FRAME_BURST / HELLO_COST));
  });

  it("cuts a flood off after DROPS_BEFORE_CLOSE drops", () => {
    const budget = new FrameBudget(0);
    const verdicts = takeMany(budget, FRAME_BURST + DROPS_BEFORE_CLOSE + 1, 0);
    expect(verdicts.indexOf("cut_off")).toBe(FRAME_BURST + DROPS_BEFORE_CLOSE);
  });

  it("a client a little over the rate loses frames but is not cut off, and is told again only after a calm spell", () => {
    const budget = new FrameBudget(0);
    takeMany(budget, FRAME_BURST, 0);
    const verdicts: string[] = [];
    // 12 frames a second for a minute: 2 a second over.
    for (let ms = 0; ms < 60_000; ms += 1_000 / 12) verdicts.push(budget.take(1, ms));
    expect(verdicts).not.toContain("cut_off");
    expect(verdicts.filter((v) => v === "refused").length).toBeLessThanOrEqual(1);
    // Three times the rate is a flood.
    const flood: string[] = [];
    for (let ms = 60_000; ms < 80_000; ms += 1_000 / 30) flood.push(budget.take(1, ms));
    expect(flood).toContain("cut_off");
    // Quiet long enough for the drops to drain: told again on the next overflow.
    takeMany(budget, FRAME_BURST, 200_000);
    expect(budget.take(1, 200_000)).toBe("refused");
  });
});
