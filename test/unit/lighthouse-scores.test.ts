import { describe, expect, test } from "vitest";
import {
  medianRun,
  type PageScores,
  scoreTable,
  shortfalls,
  toPercent,
} from "../../scripts/lighthouse/scores.ts";

const run = (
  page: string,
  preset: PageScores["preset"],
  scores: Partial<PageScores["scores"]> = {},
): PageScores => ({
  page,
  preset,
  scores: { performance: 100, accessibility: 100, "best-practices": 100, seo: 100, ...scores },
  failedAudits: [],
  metrics: [],
});

describe("Lighthouse scores", () => {
  test("are read out of 100, rounded, and a missing score stays missing", () => {
    expect(toPercent(0.955)).toBe(96);
    expect(toPercent(0.82)).toBe(82);
    expect(toPercent(1)).toBe(100);
    expect(toPercent(null)).toBeNull();
    expect(toPercent(undefined)).toBeNull();
  });

  test("fall short under 95 or when not scored, and 95 itself passes", () => {
    const runs = [
      run("home", "mobile", { seo: 82 }),
      run("home", "desktop", { "best-practices": 95 }),
      run("room", "mobile", { performance: null }),
      run("room", "desktop", { accessibility: 94 }),
    ];
    expect(shortfalls(runs)).toEqual([
      "home (mobile) seo 82",
      "room (mobile) performance not scored",
      "room (desktop) accessibility 94",
    ]);
    expect(shortfalls([run("home", "mobile")])).toEqual([]);
  });

  test("of several runs, the one with the median performance score is kept", () => {
    const runs = [62, 97, 95].map((performance) => run("room", "mobile", { performance }));
    expect(medianRun(runs).scores.performance).toBe(95);
    expect(medianRun([run("home", "desktop", { performance: 90 })]).scores.performance).toBe(90);
    // An even count keeps the lower of the middle two: a flattering run is not picked.
    expect(
      medianRun([99, 80].map((performance) => run("home", "mobile", { performance }))).scores.performance,
    ).toBe(80);
    expect(() => medianRun([])).toThrow();
  });

  test("make a markdown table, padded as the formatter lays it out, with what falls short in bold", () => {
    expect(
      scoreTable([run("home", "mobile", { seo: 82 }), run("room", "desktop", { performance: null })]),
    ).toBe(
      [
        "| page | preset  | Performance | Accessibility | Best practices |    SEO |",
        "| ---- | ------- | ----------: | ------------: | -------------: | -----: |",
        "| home | mobile  |         100 |           100 |            100 | **82** |",
        "| room | desktop |           — |           100 |            100 |    100 |",
      ].join("\n"),
    );
  });
});
