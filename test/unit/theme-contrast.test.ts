// Both themes meet WCAG AA: the colour tokens are read from web/src/styles.css itself, so
// changing a colour there can fail this test.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, test } from "vitest";

const css = readFileSync(resolve(import.meta.dirname, "../../web/src/styles.css"), "utf8");

/** The `--name: #rrggbb;` declarations of the first rule whose selector is exactly `selector`. */
function tokens(selector: string): Map<string, string> {
  const start = css.indexOf(`\n${selector} {`);
  if (start === -1) throw new Error(`no "${selector}" rule in styles.css`);
  const body = css.slice(start, css.indexOf("}", start));
  const found = new Map<string, string>();
  for (const [, name, hex] of body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) {
    if (name && hex) found.set(name, hex);
  }
  return found;
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r = 0, g = 0, b = 0] = channels.map((c) =>
    c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4,
  );
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const BACKGROUNDS = ["bg", "surface", "surface-2"];
/** [foreground, background] pairs where the foreground is text: 4.5:1. */
const TEXT_PAIRS: [string, string][] = [
  ...["text", "muted", "accent", "danger"].flatMap((fg) =>
    BACKGROUNDS.map((bg): [string, string] => [fg, bg]),
  ),
  ["text", "mine"],
  ["muted", "mine"],
  ["accent", "mine"],
  ["accent-text", "accent"],
  ["accent-text", "accent-hover"],
  ["danger", "danger-bg"],
  ["warn-text", "warn-bg"],
  ["surface", "danger"],
];
/** Control boundaries and the focus ring against what they sit on: 3:1. */
const UI_PAIRS: [string, string][] = [
  ...["control-border", "focus-ring", "accent"].flatMap((fg) =>
    BACKGROUNDS.map((bg): [string, string] => [fg, bg]),
  ),
  ["focus-ring", "mine"],
];

describe.each([
  ["light", ":root"],
  ["dark", ':root[data-theme="dark"]'],
])("the %s theme", (_name, selector) => {
  const theme = tokens(selector);
  const colour = (name: string) => {
    const hex = theme.get(name);
    if (!hex) throw new Error(`--${name} is not defined for ${selector}`);
    return hex;
  };

  test.each(TEXT_PAIRS)("--%s on --%s is at least 4.5:1", (fg, bg) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(4.5);
  });

  test.each(UI_PAIRS)("--%s on --%s is at least 3:1", (fg, bg) => {
    expect(contrast(colour(fg), colour(bg))).toBeGreaterThanOrEqual(3);
  });
});

test("the contrast formula matches WCAG's reference values", () => {
  expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
  expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
});
