// The conversation's layout: day dividers, the "New messages" line, grouping by author within five minutes.
import { describe, expect, test } from "vitest";
import { buildTimeline, countUnseen, dayLabel, type TimelineItem } from "../../web/src/lib/timeline.ts";

const NOW = new Date(2026, 10, 24, 15, 30);

function at(day: number, hour: number, minute: number, second = 0): string {
  return new Date(2026, 10, day, hour, minute, second).toISOString();
}

function item(seq: number, authorId: string, createdAt: string): TimelineItem {
  return { key: `m${seq}`, seq, authorId, createdAt };
}

function shape(items: TimelineItem[], readAtOpen: number | null = null) {
  return buildTimeline(items, { meId: "me", readAtOpen, now: NOW }).map((entry) =>
    entry.kind === "message" ? `${entry.key}${entry.startsGroup ? "*" : ""}` : `[${entry.kind}]`,
  );
}

describe("buildTimeline", () => {
  test("groups consecutive messages by one author within five minutes of the group's header", () => {
    const items = [
      item(1, "ann", at(24, 10, 0, 5)),
      item(2, "ann", at(24, 10, 0, 50)),
      item(3, "ann", at(24, 10, 4, 59)),
      item(4, "ann", at(24, 10, 5, 5)), // five minutes after m1: a new header
      item(5, "bob", at(24, 10, 6, 0)),
      item(6, "ann", at(24, 10, 6, 1)),
      item(7, "ann", at(24, 10, 7, 0)),
    ];
    expect(shape(items)).toEqual(["[day]", "m1*", "m2", "m3", "m4*", "m5*", "m6*", "m7"]);
  });

  test("a message dated before its group's header (a clock skew) starts a new group", () => {
    const items = [item(1, "ann", at(24, 10, 3)), item(2, "ann", at(24, 10, 2))];
    expect(shape(items)).toEqual(["[day]", "m1*", "m2*"]);
  });

  test("puts a day divider before each new day, labelled Today, Yesterday or a date", () => {
    const items = [item(1, "ann", at(20, 9, 0)), item(2, "ann", at(23, 9, 0)), item(3, "ann", at(24, 9, 0))];
    const labels = buildTimeline(items, { meId: "me", readAtOpen: null, now: NOW })
      .filter((entry) => entry.kind === "day")
      .map((entry) => (entry.kind === "day" ? entry.label : ""));
    expect(labels.slice(1)).toEqual(["Yesterday", "Today"]);
    expect(labels[0]).not.toMatch(/Today|Yesterday/);
    expect(shape(items)).toEqual(["[day]", "m1*", "[day]", "m2*", "[day]", "m3*"]);
  });

  test("marks the first message from someone else after the read mark, and breaks the group there", () => {
    const items = [
      item(1, "ann", at(24, 10, 0, 1)),
      item(2, "me", at(24, 10, 0, 2)),
      item(3, "ann", at(24, 10, 0, 3)),
      item(4, "ann", at(24, 10, 0, 4)),
    ];
    expect(shape(items, 1)).toEqual(["[day]", "m1*", "m2*", "[unread]", "m3*", "m4"]);
    // Nothing unread, or never read at all: no line.
    expect(shape(items, 4)).not.toContain("[unread]");
    expect(shape(items, 0)).not.toContain("[unread]");
  });
});

test("dayLabel says the year only for other years", () => {
  expect(dayLabel(new Date(2025, 0, 2), NOW)).toMatch(/2025/);
  expect(dayLabel(new Date(2026, 0, 2), NOW)).not.toMatch(/2026/);
});

test("countUnseen counts others' messages after the read mark", () => {
  const messages = [1, 2, 3, 4].map((seq) => ({ seq, author: { id: seq === 3 ? "me" : "ann" } }));
  expect(countUnseen(messages, 1, "me")).toBe(2);
  expect(countUnseen(messages, 4, "me")).toBe(0);
});
