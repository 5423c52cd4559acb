import { describe, expect, it } from "vitest";
import { RecentFrames } from "../../worker/room/recent-frames.ts";

const frame = (seq: number) => `{"seq":${seq}}`;

describe("RecentFrames", () => {
  it("replays exactly the frames after a seq, oldest first, while it holds them all", () => {
    const recent = new RecentFrames(4);
    for (let seq = 1; seq <= 3; seq++) recent.add(seq, frame(seq));
    expect(recent.after(0, 3)).toEqual([frame(1), frame(2), frame(3)]);
    expect(recent.after(2, 3)).toEqual([frame(3)]);
    expect(recent.after(3, 3)).toEqual([]);
    expect(recent.after(5, 3)).toEqual([]); // a client ahead of the room: nothing to replay
  });

  it("forgets the oldest once full, and then cannot answer for them", () => {
    const recent = new RecentFrames(4);
    for (let seq = 1; seq <= 10; seq++) recent.add(seq, frame(seq));
    expect(recent.after(6, 10)).toEqual([frame(7), frame(8), frame(9), frame(10)]);
    expect(recent.after(8, 10)).toEqual([frame(9), frame(10)]);
    expect(recent.after(5, 10)).toBeNull(); // 6 is gone: the room reads its log
  });

  it("answers null when the room's latest seq is not the last it was given", () => {
    const recent = new RecentFrames(4);
    expect(recent.after(0, 2)).toBeNull(); // empty, e.g. after a wake-up
    recent.add(3, frame(3));
    recent.add(4, frame(4));
    expect(recent.after(3, 5)).toBeNull(); // a message it never saw
    expect(recent.after(2, 4)).toEqual([frame(3), frame(4)]);
    expect(recent.after(1, 4)).toBeNull(); // 2 came before it started
  });

  it("starts afresh when a seq does not follow the last one", () => {
    const recent = new RecentFrames(4);
    recent.add(1, frame(1));
    recent.add(2, frame(2));
    recent.add(7, frame(7));
    expect(recent.after(6, 7)).toEqual([frame(7)]);
    expect(recent.after(1, 7)).toBeNull();
    recent.clear();
    expect(recent.after(6, 7)).toBeNull();
  });
});
