// The web app's budget, checked on every `npm test` (which builds dist/web first): all its
// JS and CSS together at most 60 kB gzipped (gzip -9), the same measurement as the bench's
// scenario 6, so a dependency that blows the budget fails the suite rather than a report.
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { measureWebAppSize, WEB_BUDGET_GZIP_BYTES } from "./load/web-app.ts";

describe("the web app's size", () => {
  test("JS and CSS fit in 60 kB gzipped", () => {
    const size = measureWebAppSize();
    const files = size.assets.map((asset) => `${asset.file}: ${asset.gzipBytes} B gzipped`).join("\n");
    console.log(
      `web app JS+CSS: ${size.total.gzipBytes} B gzipped (budget ${WEB_BUDGET_GZIP_BYTES} B)\n${files}`,
    );
    expect(size.total.gzipBytes, files).toBeLessThanOrEqual(WEB_BUDGET_GZIP_BYTES);
  });

  test("counts every JS and CSS file of a build, and not its HTML", () => {
    const dir = mkdtempSync(join(tmpdir(), "chattr-size-"));
    try {
      mkdirSync(join(dir, "assets"));
      writeFileSync(join(dir, "index.html"), "<!doctype html>".repeat(1000));
      // Random bytes do not compress: 70 kB of them are over the budget however gzipped.
      writeFileSync(join(dir, "assets", "a.js"), randomBytes(40_000).toString("base64"));
      writeFileSync(join(dir, "assets", "b.css"), randomBytes(30_000).toString("base64"));
      const size = measureWebAppSize(dir);
      expect(size.assets.map((asset) => asset.file).sort()).toEqual([
        "assets/a.js",
        "assets/b.css",
        "index.html",
      ]);
      expect(size.total.gzipBytes).toBeGreaterThan(WEB_BUDGET_GZIP_BYTES);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
