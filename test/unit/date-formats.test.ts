// The app's date formatters are made on first use (see web/src/lib/date-formats.ts).
import { describe, expect, it } from "vitest";
import {
  dayThisYear,
  dayWithYear,
  fullDateTime,
  relativeTime,
  timeOfDay,
  warmDateFormats,
} from "../../web/src/lib/date-formats.ts";

describe("date formats", () => {
  it("are made once and then shared", () => {
    warmDateFormats();
    for (const format of [timeOfDay, fullDateTime, dayThisYear, dayWithYear, relativeTime]) {
      expect(format()).toBe(format());
    }
  });

  it("write what the interface shows", () => {
    expect(relativeTime().format(-1, "day")).toBe("yesterday");
    expect(dayWithYear().format(new Date(2025, 2, 3))).toContain("2025");
    expect(timeOfDay().format(new Date(2025, 2, 3, 14, 5))).toMatch(/(14|2).05/);
  });
});
