// The room's client state as a pure reducer: frames and local events in, state out.
import { describe, expect, it } from "vitest";
import {
  applyRoomEvent,
  applyRoomFrame,
  initialRoomState,
  nextTypingExpiry,
  type RoomEvent,
  type RoomFrame,
  type RoomState,
  typingUsers,
} from "../../web/src/lib/room-state.ts";
import {
  type ChatMessage,
  type Receipt,
  TYPING_TTL_MS,
  type UserRef,
} from "../../worker/protocol/room-protocol.ts";

const me: UserRef = { id: "me", name: "Me", guest: false };
const ana: UserRef = { id: "ana", name: "Ana", guest: false };
const ben: UserRef = { id: "ben", name: "Ben", guest: false };

function msg(seq: number, author: UserRef = ana, clientId = `c-${author.id}-${seq}`): ChatMessage {
  return {
    id: `m${seq}`,
    seq,
    roomId: "r1",
    author,
    body: `message ${seq}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, seq)).toISOString(),
    clientId,
  };
}

const frame = (m: ChatMessage): RoomFrame => ({ type: "message", ...m });

function ready(extra: Partial<Extract<RoomFrame, { type: "ready" }>> = {}): RoomFrame {
  return {
    type: "ready",
    room: { id: "r1", name: "Room", visibility: "public", canWrite: true },
    seq: 0,
    online: [me, ana],
    typing: [],
    receipts: [],
    ...extra,
  };
}

type Step = RoomFrame | RoomEvent | { frame: RoomFrame; now: number };

const LOCAL_EVENTS: ReadonlySet<string> = new Set([
  "queued",
  "transmitting",
  "outbox",
  "connection",
  "history",
  "loading_older",
  "history_failed",
  "history_recovered",
  "read",
  "tick",
  "retry",
  "discard",
  "terminated",
]);

function isEvent(step: RoomFrame | RoomEvent): step is RoomEvent {
  return LOCAL_EVENTS.has(step.type);
}

/** Applies frames (at time 0 unless given) and local events in order. */
function run(steps: Step[], from: RoomState = initialRoomState("r1", me)): RoomState {
  return steps.reduce((state: RoomState, step) => {
    if ("frame" in step) return applyRoomFrame(state, step.frame, step.now);
    return isEvent(step) ? applyRoomEvent(state, step) : applyRoomFrame(state, step, 0);
  }, from);
}

const seqs = (state: RoomState) => state.messages.map((m) => m.seq);
const entry = (clientId: string, body = clientId) => ({
  clientId,
  body,
  createdAt: "2026-01-01T12:00:00.000Z",
});

describe("room state: messages", () => {
  it("keeps messages ascending and unique whichever way they arrive", () => {
    const state = run([
      { type: "history", messages: [msg(3), msg(4)], latest: true, hasOlder: true },
      frame(msg(6)),
      frame(msg(5)),
      frame(msg(6)), // a replay after a reconnect repeats it
      { type: "history", messages: [msg(1), msg(2), msg(3)], hasOlder: false },
    ]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(state.historyLoaded).toBe(true);
    expect(state.hasOlder).toBe(false);
  });

  it("applying a frame twice changes nothing the second time", () => {
    const once = run([
      ready(),
      frame(msg(1)),
      { type: "receipt", userId: "ana", name: "Ana", delivered: 1, read: 1 },
    ]);
    const twice = run(
      [frame(msg(1)), { type: "receipt", userId: "ana", name: "Ana", delivered: 1, read: 1 }],
      once,
    );
    expect(twice).toEqual(once);
  });

  it("gapless resume: a page held, then the replay after it, then live frames, in a batch", () => {
    const state = run([
      { type: "history", messages: [msg(1), msg(2)], latest: true },
      {
        type: "batch",
        frames: [ready({ seq: 4 }), frame(msg(3)), frame(msg(4))],
      },
      frame(msg(5)),
    ]);
    expect(seqs(state)).toEqual([1, 2, 3, 4, 5]);
  });

  it("a resync too far behind to bridge starts afresh with the recent part", () => {
    const state = run([
      { type: "history", messages: [msg(1), msg(2)], latest: true },
      { type: "history", messages: [msg(300), msg(301)], replace: true, hasOlder: true },
    ]);
    expect(seqs(state)).toEqual([300, 301]);
    expect(state.hasOlder).toBe(true);
  });

  it("history paging: older pages go first, loading is flagged, a failure is a retryable notice", () => {
    let state = run([{ type: "history", messages: [msg(51), msg(52)], latest: true, hasOlder: true }]);
    state = applyRoomEvent(state, { type: "loading_older", loading: true });
    expect(state.loadingOlder).toBe(true);
    state = run(
      [
        { type: "history_failed", notice: "Could not load older messages: offline" },
        { type: "loading_older", loading: false },
      ],
      state,
    );
    expect(state).toMatchObject({ notice: "Could not load older messages: offline", canRetry: true });
    state = run(
      [{ type: "history", messages: [msg(49), msg(50)], hasOlder: false }, { type: "history_recovered" }],
      state,
    );
    expect(seqs(state)).toEqual([49, 50, 51, 52]);
    expect(state).toMatchObject({ notice: null, canRetry: false, hasOlder: false, loadingOlder: false });
  });
});

describe("room state: sends", () => {
  it("a queued message waits offline and is sending once transmitted", () => {
    let state = applyRoomEvent(initialRoomState("r1", me), {
      type: "queued",
      entry: entry("a"),
      connected: false,
    });
    expect(state.pending.map((p) => p.status)).toEqual(["waiting"]);
    state = applyRoomEvent(state, { type: "transmitting", clientIds: ["a"] });
    expect(state.pending.map((p) => p.status)).toEqual(["sending"]);
    // The connection drops before the ack: it waits again.
    state = applyRoomEvent(state, { type: "connection", state: "reconnecting" });
    expect(state.pending.map((p) => p.status)).toEqual(["waiting"]);
    expect(state.connection).toBe("reconnecting");
  });

  it("the echo confirms a send (and the ack after it changes nothing)", () => {
    const state = run([
      { type: "history", messages: [msg(1)], latest: true },
      { type: "queued", entry: entry("a", "hello"), connected: true },
      frame({ ...msg(2, me, "a"), body: "hello" }),
      { type: "ack", clientId: "a", seq: 2, id: "m2", createdAt: msg(2).createdAt },
    ]);
    expect(state.pending).toEqual([]);
    expect(state.messages.map((m) => [m.seq, m.body])).toEqual([
      [1, "message 1"],
      [2, "hello"],
    ]);
  });

  it("an ack alone (a resend of a message stored earlier) puts the message in place once", () => {
    const state = run([
      { type: "history", messages: [msg(1), msg(3)], latest: true },
      { type: "queued", entry: entry("a", "resent"), connected: true },
      { type: "ack", clientId: "a", seq: 2, id: "m2", createdAt: msg(2).createdAt },
      { type: "ack", clientId: "a", seq: 2, id: "m2", createdAt: msg(2).createdAt },
    ]);
    expect(state.pending).toEqual([]);
    expect(state.messages.map((m) => [m.seq, m.body, m.author.id])).toEqual([
      [1, "message 1", "ana"],
      [2, "resent", "me"],
      [3, "message 3", "ana"],
    ]);
  });

  it("an ack for something older than everything held is left to history", () => {
    const state = run([
      { type: "history", messages: [msg(10)], latest: true },
      { type: "queued", entry: entry("a"), connected: true },
      { type: "ack", clientId: "a", seq: 4, id: "m4", createdAt: msg(4).createdAt },
    ]);
    expect(seqs(state)).toEqual([10]);
    expect(state.pending).toEqual([]);
  });

  it("a resent message that history already holds is not shown twice", () => {
    const stored = msg(2, me, "a");
    let state = initialRoomState("r1", me, [entry("a")]);
    expect(state.pending).toHaveLength(1);
    state = run([{ type: "history", messages: [msg(1), stored], latest: true }], state);
    expect(state.pending).toEqual([]);
    // The outbox read again after `ready` still lists it (another tab): it stays out.
    state = applyRoomEvent(state, { type: "outbox", entries: [entry("a"), entry("b")] });
    expect(state.pending.map((p) => p.clientId)).toEqual(["b"]);
    expect(seqs(state)).toEqual([1, 2]);
  });

  it("a refusal for good fails that message, which can be retried or discarded", () => {
    let state = run([
      { type: "queued", entry: entry("a", "too rude"), connected: true },
      { type: "queued", entry: entry("b"), connected: true },
      { type: "error", code: "forbidden", message: "You cannot post here.", clientId: "a" },
    ]);
    expect(state.pending.map((p) => p.status)).toEqual(["failed", "sending"]);
    expect(state.pending[0]?.error).toBe("Not sent: “too rude”. You cannot post here.");
    expect(state.notice).toBeNull();
    state = applyRoomEvent(state, { type: "retry", clientId: "a" });
    expect(state.pending[0]).toMatchObject({ status: "waiting" });
    expect(state.pending[0]).not.toHaveProperty("error");
    state = run(
      [
        { type: "error", code: "invalid_body", message: "Too long.", clientId: "a" },
        { type: "discard", clientId: "a" },
      ],
      state,
    );
    expect(state.pending.map((p) => p.clientId)).toEqual(["b"]);
  });

  it("rate_limited keeps the message queued; an error about nothing pending is a notice", () => {
    const state = run([
      { type: "queued", entry: entry("a"), connected: true },
      { type: "error", code: "rate_limited", message: "Slow down.", clientId: "a" },
    ]);
    expect(state.pending.map((p) => p.status)).toEqual(["sending"]);
    expect(state.notice).toBeNull();
    expect(run([{ type: "error", code: "invalid_frame", message: "Bad frame." }], state).notice).toBe(
      "Bad frame.",
    );
  });
});

describe("room state: receipts and the read mark", () => {
  const receipt = (userId: string, delivered: number, read: number): RoomFrame => ({
    type: "receipt",
    userId,
    name: userId,
    delivered,
    read,
  });

  it("marks never move backwards, whatever order receipts arrive in", () => {
    const state = run([receipt("ana", 5, 3), receipt("ana", 2, 1), receipt("ben", 1, 0)]);
    expect(state.receipts).toEqual<Receipt[]>([
      { userId: "ana", name: "ana", delivered: 5, read: 3 },
      { userId: "ben", name: "ben", delivered: 1, read: 0 },
    ]);
  });

  it("ready sets the read mark and the 'New messages' mark, which stays as opened", () => {
    let state = run([
      { type: "history", messages: [msg(1), msg(2), msg(3), msg(4)], latest: true },
      ready({ seq: 4, receipts: [{ userId: "me", name: "Me", delivered: 4, read: 2 }] }),
    ]);
    expect(state).toMatchObject({ readUpTo: 2, readAtOpen: 2, canWrite: true });
    state = run([{ type: "read", seq: 9 }], state); // never past what is held
    expect(state.readUpTo).toBe(4);
    state = run([ready({ seq: 4, receipts: [{ userId: "me", name: "Me", delivered: 4, read: 4 }] })], state);
    expect(state.readAtOpen).toBe(2);
    expect(run([{ type: "read", seq: 1 }], state).readUpTo).toBe(4);
  });

  it("a read-only socket is told so by ready", () => {
    const state = run([ready({ room: { id: "r1", name: "Room", visibility: "private", canWrite: false } })]);
    expect(state.canWrite).toBe(false);
  });
});

describe("room state: typing and presence", () => {
  it("shows others typing, never oneself, until stopped, their message, or the TTL", () => {
    let state = run([
      { frame: { type: "typing", user: ana, active: true }, now: 0 },
      { frame: { type: "typing", user: me, active: true }, now: 0 },
      { frame: { type: "typing", user: ben, active: true }, now: 1_000 },
    ]);
    expect(typingUsers(state).map((u) => u.name)).toEqual(["Ana", "Ben"]);
    expect(nextTypingExpiry(state)).toBe(TYPING_TTL_MS);
    // Ana's refresh keeps her place and her indicator alive.
    state = run([{ frame: { type: "typing", user: ana, active: true }, now: 4_000 }], state);
    expect(typingUsers(state).map((u) => u.name)).toEqual(["Ana", "Ben"]);
    state = applyRoomEvent(state, { type: "tick", now: 1_000 + TYPING_TTL_MS });
    expect(typingUsers(state).map((u) => u.name)).toEqual(["Ana"]);
    state = run([{ frame: frame(msg(1, ana)), now: 5_000 }], state);
    expect(typingUsers(state)).toEqual([]);
    expect(nextTypingExpiry(state)).toBeUndefined();
  });

  it("ready replaces typing; a dropped connection clears it; people who leave stop typing", () => {
    let state = run([ready({ typing: [ana, ben, me] })]);
    expect(typingUsers(state).map((u) => u.name)).toEqual(["Ana", "Ben"]);
    state = run([{ type: "presence_change", joined: [], left: ["ben"], version: "v2" }], state);
    expect(typingUsers(state).map((u) => u.name)).toEqual(["Ana"]);
    expect(state.online.map((u) => u.id)).toEqual(["me", "ana"]);
    state = run([{ type: "typing", user: ana, active: false }], state);
    expect(typingUsers(state)).toEqual([]);
    state = run(
      [
        { type: "typing", user: ana, active: true },
        { type: "connection", state: "reconnecting" },
      ],
      state,
    );
    expect(typingUsers(state)).toEqual([]);
  });

  it("presence: full lists, changes, and a ready without a list keeps the one held", () => {
    let state = run([ready({ online: [me, ana] })]);
    state = run([{ type: "presence_change", joined: [ben], left: [], version: "v2" }], state);
    expect(state.online.map((u) => u.id)).toEqual(["me", "ana", "ben"]);
    const { online: _online, ...withoutList } = ready() as Extract<RoomFrame, { type: "ready" }>;
    state = run([withoutList], state);
    expect(state.online.map((u) => u.id)).toEqual(["me", "ana", "ben"]);
    state = run([{ type: "presence", online: [me] }], state);
    expect(state.online.map((u) => u.id)).toEqual(["me"]);
    // A join that repeats someone replaces them instead of listing them twice.
    state = run([{ type: "presence_change", joined: [me], left: [], version: "v3" }], state);
    expect(state.online.map((u) => u.id)).toEqual(["me"]);
  });

  it("the server ending the socket is kept for the view", () => {
    expect(run([{ type: "terminated", code: 4001, reason: "session ended" }]).terminated).toEqual({
      code: 4001,
      reason: "session ended",
    });
  });
});
