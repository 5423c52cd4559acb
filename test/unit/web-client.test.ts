// Pure logic of the web client: reconnect delays and merging messages by seq.
import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../web/src/lib/backoff.ts";
import { mergeMessages, sameMessage } from "../../web/src/lib/messages.ts";
import type { ChatMessage } from "../../worker/protocol/room-protocol.ts";

describe("backoffDelay", () => {
  const options = { baseMs: 500, capMs: 15_000 };

  it("doubles its ceiling from half a second up to the cap", () => {
    const top = () => 0.999_999;
    expect([0, 1, 2, 3, 4, 5].map((n) => Math.round(backoffDelay(n, options, top) / 100) * 100)).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 15_000,
    ]);
    expect(backoffDelay(60, options, top)).toBeLessThan(15_000);
  });

  it("waits anywhere from zero up to the ceiling (full jitter)", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(2_000);
  });
});

function message(seq: number, body = `m${seq}`): ChatMessage {
  return {
    id: `id-${seq}`,
    seq,
    roomId: "general",
    author: { id: "u1", name: "alice", guest: false },
    body,
    createdAt: new Date(seq * 1000).toISOString(),
    clientId: `c${seq}`,
  };
}

const seqs = (messages: ChatMessage[]) => messages.map((m) => m.seq);

describe("mergeMessages", () => {
  it("appends a live message after the newest one", () => {
    expect(seqs(mergeMessages([message(1), message(2)], [message(3)]))).toEqual([1, 2, 3]);
  });

  it("drops duplicates and sorts whatever order pages and frames arrive in", () => {
    const live = [message(5), message(6)];
    const history = [message(3), message(4), message(5)];
    expect(seqs(mergeMessages(live, history))).toEqual([3, 4, 5, 6]);
    expect(seqs(mergeMessages(mergeMessages([], [message(2)]), [message(2), message(1)]))).toEqual([1, 2]);
  });

  it("keeps the existing array when there is nothing new", () => {
    const existing = [message(1)];
    expect(mergeMessages(existing, [])).toBe(existing);
  });
});

describe("sameMessage", () => {
  it("holds for a replayed copy that shows the same", () => {
    expect(sameMessage(message(1), message(1))).toBe(true);
  });

  it("fails when the text, the author's name or the seq differ", () => {
    expect(sameMessage(message(1), message(1, "edited"))).toBe(false);
    expect(
      sameMessage(message(1), { ...message(1), author: { id: "u1", name: "alicia", guest: false } }),
    ).toBe(false);
    expect(sameMessage(message(1), { ...message(2), body: "m1" })).toBe(false);
  });
});
