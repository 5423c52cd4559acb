// Scenario 6's arithmetic: how a page load's critical path is added up. The web app itself
// is measured in the shared smoke run (bench.test.ts).
import { expect, test } from "vitest";
import { percentiles, waitingOnRequests } from "./load/web-app.ts";

test("the critical path's waiting time is the union of its requests, cut at the render", () => {
  const run = {
    page: { start: 0, end: 20 },
    script: { start: 30, end: 80 },
    stylesheet: { start: 30, end: 60 },
    me: { start: 70, end: 100 },
    // The sidebar's list is not on the critical path.
    roomList: { start: 0, end: 1_000 },
    history: { start: 150, end: 250 },
  };
  expect(waitingOnRequests(run, 200)).toBe(20 + 70 + 50);
  expect(percentiles([3, 1, 2])).toEqual({ p50: 2, p95: 3, max: 3 });
  expect(percentiles([])).toBeNull();
});
