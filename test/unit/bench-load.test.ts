import { describe, expect, test } from "vitest";
import { decodeBody, encodeBody } from "../../scripts/bench/load/message-body.ts";
import { poissonSchedule, seededRandom } from "../../scripts/bench/load/schedule.ts";

describe("bench load generator", () => {
  test("the Poisson schedule is seeded, ordered, and has the asked-for mean rate", () => {
    const offsets = poissonSchedule(100, 100_000, seededRandom(1));
    expect(poissonSchedule(100, 100_000, seededRandom(1))).toEqual(offsets);
    expect(offsets.every((at, i) => i === 0 || at > (offsets[i - 1] ?? 0))).toBe(true);
    expect(offsets.at(-1)).toBeLessThan(100_000);
    // 10,000 expected; a Poisson count's standard deviation is 100.
    expect(offsets.length).toBeGreaterThan(9_600);
    expect(offsets.length).toBeLessThan(10_400);
  });

  test("a body carries its id and intended time at the asked-for size", () => {
    for (const bytes of [10, 100, 1024]) {
      const body = encodeBody({ id: 42, intendedAt: 1234.5678 }, bytes);
      if (bytes >= 30) expect(body.length).toBe(bytes);
      expect(decodeBody(body)).toEqual({ id: 42, intendedAt: 1234.568 });
      expect(body.trim()).toBe(body);
    }
    expect(decodeBody("hello there")).toBeNull();
  });
});
