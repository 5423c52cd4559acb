import { afterEach, describe, expect, it, vi } from "vitest";
import { KeyedTimers } from "../../worker/room/keyed-timers.ts";

afterEach(() => vi.useRealTimers());

describe("KeyedTimers", () => {
  it("keeps one timer per key: setting again replaces it, cancelling stops it, firing forgets it", () => {
    vi.useFakeTimers();
    const timers = new KeyedTimers<string>();
    const fired: string[] = [];
    timers.set("ana", 100, () => fired.push("ana first"));
    timers.set("ana", 100, () => fired.push("ana again"));
    timers.set("ben", 50, () => fired.push("ben"));
    timers.set("cat", 50, () => fired.push("cat"));
    expect(timers.cancel("cat")).toBe(true);
    expect(timers.cancel("cat")).toBe(false);
    vi.advanceTimersByTime(60);
    expect(fired).toEqual(["ben"]);
    expect(timers.has("ben")).toBe(false);
    expect(timers.has("ana")).toBe(true);
    vi.advanceTimersByTime(60);
    expect(fired).toEqual(["ben", "ana again"]);

    timers.set("dan", 10, () => fired.push("dan"));
    timers.cancelAll();
    vi.advanceTimersByTime(20);
    expect(fired).toEqual(["ben", "ana again"]);
    expect(timers.has("dan")).toBe(false);
  });
});
