// Links in message bodies: found by linkifyjs, only http(s) and mailto kept, text exact.

import { find } from "linkifyjs";
import { describe, expect, it } from "vitest";
import { mightHaveLinks, linkPieces as piecesWith, safeHref } from "../../web/src/lib/links.ts";

const linkPieces = (body: string) => piecesWith(body, find);

describe("mightHaveLinks", () => {
  it("is true for everything linkifyjs would link, and false for plain talk", () => {
    for (const body of [
      "see https://example.com",
      "example.com",
      "mail me at a.b@example.org",
      "http://localhost:8080/x",
      "www.example.co.uk",
      "mailto:x@y.io",
    ]) {
      expect(mightHaveLinks(body)).toBe(true);
      expect(find(body).length).toBeGreaterThan(0);
    }
    for (const body of ["Message 1 from writer 1", "Done. See you at 5.", "ok!", ""]) {
      expect(mightHaveLinks(body)).toBe(false);
      expect(find(body)).toEqual([]);
    }
  });
});

describe("linkPieces", () => {
  it("splits a body into text and links, keeping every character", () => {
    const body = "see https://example.com/a?b=1#c, or example.org. Mail ann@example.net!";
    const pieces = linkPieces(body);
    expect(pieces).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1#c", href: "https://example.com/a?b=1#c" },
      { kind: "text", text: ", or " },
      { kind: "link", text: "example.org", href: "http://example.org/" },
      { kind: "text", text: ". Mail " },
      { kind: "link", text: "ann@example.net", href: "mailto:ann@example.net" },
      { kind: "text", text: "!" },
    ]);
    expect(pieces.map((p) => p.text).join("")).toBe(body);
  });

  it("never makes a link of a dangerous scheme or of markup", () => {
    for (const body of [
      "javascript:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "<img src=x onerror=alert(1)>",
      "file:///etc/passwd",
      "ftp://example.com/x",
    ]) {
      const pieces = linkPieces(body);
      expect(pieces.filter((p) => p.kind === "link")).toEqual([]);
      expect(pieces.map((p) => p.text).join("")).toBe(body);
    }
  });

  it("leaves plain text alone, including newlines and empty bodies", () => {
    expect(linkPieces("no links here\nnone")).toEqual([{ kind: "text", text: "no links here\nnone" }]);
    expect(linkPieces("")).toEqual([]);
  });

  it("accepts only http, https and mailto targets", () => {
    expect(safeHref("https://x.test/")).toBe("https://x.test/");
    expect(safeHref("mailto:a@b.test")).toBe("mailto:a@b.test");
    expect(safeHref("javascript:alert(1)")).toBeNull();
    expect(safeHref("ftp://x.test")).toBeNull();
    expect(safeHref("not a url")).toBeNull();
  });
});
