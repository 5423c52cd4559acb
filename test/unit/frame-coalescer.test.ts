// The room's frame coalescing: what each socket receives, and when.
import { describe, expect, it } from "vitest";
import { BUSY_WITHIN_MS, batchText, FrameCoalescer } from "../../worker/sockets/frame-coalescer.ts";

class FakeSocket {
  readonly received: string[] = [];
  constructor(readonly closing = false) {}
  send(text: string): void {
    if (this.closing) throw new TypeError("WebSocket is closing");
    this.received.push(text);
  }
}

function setUp() {
  const pending: (() => void)[] = [];
  const clock = { now: 1_000, soon: 0, later: 0 };
  const coalescer = new FrameCoalescer({
    soon: (flush) => {
      clock.soon++;
      pending.push(flush);
    },
    later: (flush) => {
      clock.later++;
      pending.push(flush);
    },
    now: () => clock.now,
  });
  const socket = (closing = false) => {
    const fake = new FakeSocket(closing);
    return { fake, ws: fake as unknown as WebSocket };
  };
  const runScheduled = () => {
    for (const flush of pending.splice(0)) flush();
  };
  return { coalescer, socket, pending, runScheduled, clock };
}

const frame = (n: number) => JSON.stringify({ type: "message", seq: n });

describe("FrameCoalescer", () => {
  it("sends at once, frame by frame, to a socket that did not ask for batches", () => {
    const { coalescer, socket, pending } = setUp();
    const plain = socket();
    coalescer.post(plain.ws, frame(1), false);
    coalescer.post(plain.ws, frame(2), false);
    expect(plain.fake.received).toEqual([frame(1), frame(2)]);
    expect(pending).toHaveLength(0);
  });

  it("holds a batching socket's frames until the scheduled flush, then sends them as one batch in order", () => {
    const { coalescer, socket, pending, runScheduled } = setUp();
    const batching = socket();
    for (const n of [1, 2, 3]) coalescer.post(batching.ws, frame(n), true);
    expect(batching.fake.received).toEqual([]);
    expect(pending).toHaveLength(1);
    runScheduled();
    expect(batching.fake.received).toHaveLength(1);
    const batch = JSON.parse(batching.fake.received[0] ?? "") as { type: string; frames: unknown[] };
    expect(batch).toEqual({ type: "batch", frames: [1, 2, 3].map((seq) => ({ type: "message", seq })) });
  });

  it("sends a lone frame as itself, so a quiet room's clients see no batches", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const batching = socket();
    coalescer.post(batching.ws, frame(1), true);
    runScheduled();
    expect(batching.fake.received).toEqual([frame(1)]);
  });

  it("gives every socket its own frames, sharing one text where they are the same", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const [a, b, sender] = [socket(), socket(), socket()];
    const shared = frame(7);
    const ack = JSON.stringify({ type: "ack", seq: 7 });
    for (const s of [a, b, sender]) coalescer.post(s.ws, shared, true);
    coalescer.post(sender.ws, ack, true);
    runScheduled();
    expect(a.fake.received).toEqual([shared]);
    expect(b.fake.received).toEqual([shared]);
    expect(sender.fake.received).toEqual([batchText([shared, ack])]);
  });

  it("keeps a socket's order when it stops batching while frames wait", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const s = socket();
    coalescer.post(s.ws, frame(1), true);
    coalescer.post(s.ws, frame(2), false);
    runScheduled();
    expect(s.fake.received).toEqual([batchText([frame(1), frame(2)])]);
  });

  it("flushes one socket on demand (before it is closed) and forgets a socket that is gone", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const [closing, gone] = [socket(), socket()];
    coalescer.post(closing.ws, frame(1), true);
    coalescer.post(gone.ws, frame(1), true);
    coalescer.flushSocket(closing.ws);
    expect(closing.fake.received).toEqual([frame(1)]);
    coalescer.forget(gone.ws);
    runScheduled();
    expect(closing.fake.received).toEqual([frame(1)]);
    expect(gone.fake.received).toEqual([]);
  });

  it("sends a socket flushed on demand only what it gets afterwards, once, at the flush", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const [flushed, other] = [socket(), socket()];
    coalescer.post(flushed.ws, frame(1), true);
    coalescer.post(other.ws, frame(1), true);
    coalescer.flushSocket(flushed.ws);
    // Posted again before the scheduled flush: it waits once more, and leaves once.
    coalescer.post(flushed.ws, frame(2), true);
    coalescer.post(flushed.ws, frame(3), true);
    runScheduled();
    expect(flushed.fake.received).toEqual([frame(1), batchText([frame(2), frame(3)])]);
    expect(other.fake.received).toEqual([frame(1)]);
    runScheduled();
    expect(flushed.fake.received).toHaveLength(2);
  });

  it("starts afresh for a socket posted to after it was forgotten", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const s = socket();
    coalescer.post(s.ws, frame(1), true);
    coalescer.forget(s.ws);
    coalescer.post(s.ws, frame(2), true);
    runScheduled();
    expect(s.fake.received).toEqual([frame(2)]);
  });

  it("gives sockets waiting for the same several frames the same batch, and one with more its own", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const [a, b, author, c] = [socket(), socket(), socket(), socket()];
    const typing = frame(0);
    const message = frame(1);
    const ack = JSON.stringify({ type: "ack", seq: 1 });
    for (const s of [a, b, author, c]) {
      coalescer.post(s.ws, typing, true);
      coalescer.post(s.ws, message, true);
    }
    coalescer.post(author.ws, ack, true);
    runScheduled();
    expect(a.fake.received).toEqual([batchText([typing, message])]);
    expect(b.fake.received).toEqual(a.fake.received);
    expect(author.fake.received).toEqual([batchText([typing, message, ack])]);
    expect(c.fake.received).toEqual([batchText([typing, message])]);
  });

  it("does not let a socket that is closing stop the others", () => {
    const { coalescer, socket, runScheduled } = setUp();
    const [broken, fine] = [socket(true), socket()];
    coalescer.post(broken.ws, frame(1), true);
    coalescer.post(fine.ws, frame(1), true);
    expect(() => runScheduled()).not.toThrow();
    expect(fine.fake.received).toEqual([frame(1)]);
  });

  it("flushes at the end of the event when the room was quiet, and after waiting events when it is busy", () => {
    const { coalescer, socket, runScheduled, clock } = setUp();
    const s = socket();
    coalescer.post(s.ws, frame(1), true);
    runScheduled();
    expect(clock).toMatchObject({ soon: 1, later: 0 });
    clock.now += BUSY_WITHIN_MS - 1; // another frame right after: busy
    coalescer.post(s.ws, frame(2), true);
    runScheduled();
    expect(clock).toMatchObject({ soon: 1, later: 1 });
    clock.now += BUSY_WITHIN_MS; // quiet again
    coalescer.post(s.ws, frame(3), true);
    runScheduled();
    expect(clock).toMatchObject({ soon: 2, later: 1 });
    expect(s.fake.received).toEqual([frame(1), frame(2), frame(3)]);
  });

  it("schedules again for frames posted after a flush", () => {
    const { coalescer, socket, pending, runScheduled } = setUp();
    const s = socket();
    coalescer.post(s.ws, frame(1), true);
    runScheduled();
    coalescer.post(s.ws, frame(2), true);
    expect(pending).toHaveLength(1);
    runScheduled();
    expect(s.fake.received).toEqual([frame(1), frame(2)]);
  });
});
