// The pure half of `npm run lighthouse`: which scores fall short, and the table that reports
// them. No browser or file system here, so test/unit/lighthouse-scores.test.ts can drive it.

export const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
export type Category = (typeof CATEGORIES)[number];

/** The bar issue 16 sets: every category of every page and preset at 95 or more. */
export const MIN_SCORE = 95;

const TITLES: Record<Category, string> = {
  performance: "Performance",
  accessibility: "Accessibility",
  "best-practices": "Best practices",
  seo: "SEO",
};

/** One Lighthouse run: a page under a preset, with each category's score out of 100 (null: not scored). */
export interface PageScores {
  page: string;
  preset: "mobile" | "desktop";
  scores: Record<Category, number | null>;
  /** Audits that lost points, e.g. "errors-in-console", so a low score says why. */
  failedAudits: string[];
  /** The headline metrics as Lighthouse shows them, e.g. "CLS 0.004". */
  metrics: string[];
}

/**
 * Of several runs of one page, the one with the median performance score: timing scores
 * swing with what else the machine is doing, and Lighthouse's own advice is to take the
 * median of several runs. The other categories do not depend on timing.
 */
export function medianRun(runs: PageScores[]): PageScores {
  const sorted = [...runs].sort((a, b) => (a.scores.performance ?? -1) - (b.scores.performance ?? -1));
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  if (!median) throw new Error("no runs to choose from");
  return median;
}

/** Lighthouse scores categories from 0 to 1; people read them out of 100. */
export function toPercent(score: number | null | undefined): number | null {
  return score === null || score === undefined ? null : Math.round(score * 100);
}

/** Every score under the bar (or missing), as "home (mobile) seo 82". */
export function shortfalls(runs: PageScores[], min: number = MIN_SCORE): string[] {
  return runs.flatMap((run) =>
    CATEGORIES.filter((category) => {
      const score = run.scores[category];
      return score === null || score < min;
    }).map((category) => `${run.page} (${run.preset}) ${category} ${run.scores[category] ?? "not scored"}`),
  );
}

/**
 * A markdown table: one row per page and preset, one column per category, padded the way
 * the formatter (Biome) lays tables out, so the written file passes `biome check`.
 */
export function scoreTable(runs: PageScores[], min: number = MIN_SCORE): string {
  const header = ["page", "preset", ...CATEGORIES.map((c) => TITLES[c])];
  const rows = runs.map((run) => [
    run.page,
    run.preset,
    ...CATEGORIES.map((category) => {
      const score = run.scores[category];
      if (score === null) return "—";
      return score < min ? `**${score}**` : String(score);
    }),
  ]);
  // The first two columns are text (left), the scores numbers (right).
  const widths = header.map((title, i) =>
    Math.max(title.length, 3, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `| ${widths.map((width, i) => (i < 2 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`)).join(" | ")} |`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
