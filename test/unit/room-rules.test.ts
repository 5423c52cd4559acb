import { describe, expect, it } from "vitest";
import { TYPING_REPEAT_MS, TYPING_TTL_MS } from "../../worker/protocol/room-protocol.ts";
import { REFUSALS_BEFORE_CLOSE, SEND_BURST, SendLimiter } from "../../worker/room/send-limit.ts";
import { TypingTracker } from "../../worker/room/typing.ts";

const ana = { id: "a", name: "ana", guest: false };
const ben = { id: "b", name: "ben", guest: false };

describe("TypingTracker", () => {
  it("tells a user's start at most once per TYPING_REPEAT_MS; a stop always counts", () => {
    const typing = new TypingTracker();
    expect(typing.start(ana, 0)).toBe(true);
    expect(typing.stop("a")).toEqual(ana);
    // Restarted at once: deferred to the interval's end, and a stop before then cancels it unseen.
    expect(typing.start(ana, 100)).toBe(false);
    expect(typing.nextExpiry()).toBe(TYPING_REPEAT_MS);
    expect(typing.stop("a")).toBeNull();
    expect(typing.due(TYPING_REPEAT_MS)).toEqual([]);
    expect(typing.users()).toEqual([]);
    expect(typing.start(ana, TYPING_REPEAT_MS)).toBe(true);
  });

  it("a start deferred inside the interval goes out when it ends (typing on right after a send)", () => {
    const typing = new TypingTracker();
    expect(typing.start(ana, 0)).toBe(true);
    expect(typing.stop("a")).toEqual(ana); // the send
    expect(typing.start(ana, 300)).toBe(false); // typing on at once
    expect(typing.start(ana, 600)).toBe(false); // refreshed while deferred
    expect(typing.due(TYPING_REPEAT_MS - 1)).toEqual([]);
    expect(typing.due(TYPING_REPEAT_MS)).toEqual([ana]);
    expect(typing.users()).toEqual([ana]);
    // The refresh at 600 counts: it expires TYPING_TTL_MS after that.
    expect(typing.nextExpiry()).toBe(600 + TYPING_TTL_MS);
  });

  it("a flood of toggles makes at most one start and one stop per interval", () => {
    const typing = new TypingTracker();
    let told = 0;
    for (let t = 0; t < TYPING_REPEAT_MS; t += 2) {
      if (typing.start(ana, t)) told++;
      if (typing.stop("a")) told++;
      told += typing.due(t).length;
    }
    expect(told).toBe(2);
  });

  it("reports only changes, and expires entries TYPING_TTL_MS after their last refresh", () => {
    const typing = new TypingTracker();
    expect(typing.start(ana, 0)).toBe(true);
    expect(typing.start(ana, 2_000)).toBe(false); // refresh
    expect(typing.start(ben, 1_000)).toBe(true);
    expect(typing.nextExpiry()).toBe(1_000 + TYPING_TTL_MS);
    expect(typing.expire(1_000 + TYPING_TTL_MS - 1)).toEqual([]);
    expect(typing.expire(1_000 + TYPING_TTL_MS)).toEqual([ben]);
    expect(typing.users()).toEqual([ana]);
    expect(typing.stop("a")).toEqual(ana);
    expect(typing.stop("a")).toBeNull();
    expect(typing.nextExpiry()).toBeNull();
  });
});

describe("SendLimiter", () => {
  it("says whether a send would be allowed without taking a token", () => {
    const limiter = new SendLimiter(0);
    for (let i = 0; i < SEND_BURST - 1; i++) limiter.take(0);
    expect(limiter.allows(0)).toBe(true);
    expect(limiter.allows(0)).toBe(true);
    expect(limiter.take(0)).toBe("allowed");
    expect(limiter.allows(0)).toBe(false);
    expect(limiter.allows(200)).toBe(true);
  });

  it("allows a burst, then the steady rate", () => {
    const limiter = new SendLimiter(0);
    for (let i = 0; i < SEND_BURST; i++) expect(limiter.take(0)).toBe("allowed");
    expect(limiter.take(0)).toBe("refused");
    expect(limiter.take(200)).toBe("allowed"); // 5 per second: one token per 200 ms
    expect(limiter.take(200)).toBe("refused");
  });

  it("cuts off a sender who keeps flooding after refusals, but forgives old refusals", () => {
    const limiter = new SendLimiter(0);
    for (let i = 0; i < SEND_BURST; i++) limiter.take(0);
    const verdicts = Array.from({ length: REFUSALS_BEFORE_CLOSE + 1 }, () => limiter.take(0));
    expect(verdicts.slice(0, -1).every((v) => v === "refused")).toBe(true);
    expect(verdicts.at(-1)).toBe("cut_off");

    const patient = new SendLimiter(0);
    for (let i = 0; i < SEND_BURST; i++) patient.take(0);
    for (let i = 0; i < REFUSALS_BEFORE_CLOSE; i++) patient.take(0);
    // 11 s later the old refusals no longer count (and tokens have refilled).
    expect(patient.take(11_000)).toBe("allowed");
  });
});
