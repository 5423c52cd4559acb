import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../worker/db/room-list-cursor.ts";

describe("room list cursor", () => {
  it("round-trips and is URL-safe", () => {
    const cursor = { at: 1_765_000_000_123, id: "abc123_x-y" };
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(cursor);
  });

  it("refuses what it did not make", () => {
    for (const bad of [
      "",
      "not-a-cursor",
      "%%%",
      encodeCursor({ at: -1, id: "x" }),
      btoa(JSON.stringify([1, "Bad Id"])),
      btoa(JSON.stringify({ at: 1, id: "x" })),
      btoa(JSON.stringify([1.5, "x"])),
      "a".repeat(300),
    ]) {
      expect(decodeCursor(bad)).toBeNull();
    }
  });
});
