// Pure logic of the web client's real-time features: the persistent outbox, typing
// indicators both ways, and receipt ticks.
import { describe, expect, it } from "vitest";
import { MemoryStore, Outbox, type OutboxEntry, outboxKey, SendPacer } from "../../web/src/lib/outbox.ts";
import {
  MarkSender,
  mergeReceipt,
  readersOf,
  receiptMarks,
  sameMark,
  statusLabel,
  tickStatus,
} from "../../web/src/lib/receipts.ts";
import { TypingSignal, typingText } from "../../web/src/lib/typing.ts";
import { type Receipt, TYPING_REFRESH_MS, type UserRef } from "../../worker/protocol/room-protocol.ts";

const entry = (n: number): OutboxEntry => ({
  clientId: `c${n}`,
  body: `message ${n}`,
  createdAt: new Date(n * 1000).toISOString(),
});

describe("Outbox", () => {
  it("keeps entries in order across instances (a reload) until they are removed", () => {
    const store = new MemoryStore();
    const outbox = new Outbox(store, "u1", "general");
    outbox.add(entry(1));
    outbox.add(entry(2));
    outbox.add(entry(3));
    outbox.add(entry(2)); // the same clientId is never queued twice

    const afterReload = new Outbox(store, "u1", "general");
    expect(afterReload.entries().map((e) => e.clientId)).toEqual(["c1", "c2", "c3"]);
    afterReload.remove("c2");
    expect(new Outbox(store, "u1", "general").entries().map((e) => e.clientId)).toEqual(["c1", "c3"]);
    afterReload.remove("c1", "c3");
    expect(store.getItem(outboxKey("u1", "general"))).toBeNull();
  });

  it("is separate per user and per room", () => {
    const store = new MemoryStore();
    new Outbox(store, "u1", "general").add(entry(1));
    expect(new Outbox(store, "u2", "general").entries()).toEqual([]);
    expect(new Outbox(store, "u1", "other").entries()).toEqual([]);
    expect(outboxKey("u1", "a:b")).not.toBe(outboxKey("u1:a", "b"));
  });

  it("ignores corrupt or foreign data instead of throwing", () => {
    const store = new MemoryStore();
    const key = outboxKey("u1", "general");
    store.setItem(key, "{not json");
    expect(new Outbox(store, "u1", "general").entries()).toEqual([]);
    store.setItem(key, JSON.stringify([entry(1), { clientId: 5 }, null, entry(1), entry(2)]));
    expect(new Outbox(store, "u1", "general").entries().map((e) => e.clientId)).toEqual(["c1", "c2"]);
  });

  it("falls back to memory when storage fails", () => {
    const broken = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {},
    };
    const outbox = new Outbox(broken, "u1", "general");
    outbox.add(entry(1));
    expect(outbox.entries().map((e) => e.clientId)).toEqual(["c1"]);
    const none = new Outbox(null, "u1", "general");
    none.add(entry(2));
    expect(none.has("c2")).toBe(true);
  });
});

const user = (name: string): UserRef => ({ id: `id-${name}`, name, guest: false });

describe("typingText", () => {
  it("names one or two people and summarises more", () => {
    expect(typingText([])).toBe("");
    expect(typingText([user("Ana")])).toBe("Ana is typing…");
    expect(typingText([user("Ana"), user("Ben")])).toBe("Ana and Ben are typing…");
    expect(typingText([user("Ana"), user("Ben"), user("Cy")])).toBe("Several people are typing…");
  });
});

describe("TypingSignal", () => {
  it("sends active at most every refresh interval, and inactive once when emptied or blurred", () => {
    const signal = new TypingSignal();
    expect(signal.input("h", 0)).toBe(true);
    expect(signal.input("he", 100)).toBeNull();
    expect(signal.input("hel", TYPING_REFRESH_MS - 1)).toBeNull();
    expect(signal.input("hell", TYPING_REFRESH_MS)).toBe(true);
    expect(signal.input("", TYPING_REFRESH_MS + 10)).toBe(false);
    expect(signal.input("   ", TYPING_REFRESH_MS + 20)).toBeNull();
    expect(signal.stop()).toBeNull();
    expect(signal.input("x", TYPING_REFRESH_MS + 30)).toBe(true);
    expect(signal.stop()).toBe(false);
    expect(signal.stop()).toBeNull();
  });

  it("starts afresh after a send (the room clears typing itself)", () => {
    const signal = new TypingSignal();
    expect(signal.input("hi", 0)).toBe(true);
    signal.cleared();
    expect(signal.active).toBe(false);
    expect(signal.stop()).toBeNull();
    expect(signal.input("next", 10)).toBe(true);
  });
});

const receipt = (name: string, delivered: number, read: number): Receipt => ({
  userId: `id-${name}`,
  name,
  delivered,
  read,
});

const mine = (seq: number) => ({ seq, author: { id: "id-me" } });
const theirs = (seq: number) => ({ seq, author: { id: "id-Ana" } });

describe("receipt ticks", () => {
  it("goes from sent to delivered to read by other members' marks, ignoring one's own", () => {
    const me = "id-me";
    expect(tickStatus(5, [], me)).toBe("sent");
    expect(tickStatus(5, [receipt("me", 9, 9)], me)).toBe("sent");
    expect(tickStatus(5, [receipt("me", 9, 9), receipt("Ana", 5, 4)], me)).toBe("delivered");
    expect(tickStatus(5, [receipt("Ana", 5, 4), receipt("Ben", 7, 6)], me)).toBe("read");
    expect(tickStatus(8, [receipt("Ana", 5, 4), receipt("Ben", 7, 6)], me)).toBe("sent");
  });

  it("lists readers by name, and labels group rooms with a count", () => {
    const receipts = [receipt("me", 9, 9), receipt("Cy", 9, 9), receipt("Ana", 9, 5), receipt("Ben", 9, 2)];
    expect(readersOf(5, receipts, "id-me").map((r) => r.name)).toEqual(["Ana", "Cy"]);
    expect(statusLabel("read")).toBe("Read");
    expect(statusLabel("delivered")).toBe("Delivered");
    expect(statusLabel("sent")).toBe("Sent");
  });

  it("merges receipts without ever moving a mark backwards", () => {
    let receipts = mergeReceipt([], receipt("Ana", 3, 5));
    expect(receipts).toEqual([receipt("Ana", 5, 5)]); // read implies delivered
    receipts = mergeReceipt(receipts, receipt("Ana", 7, 2));
    expect(receipts).toEqual([receipt("Ana", 7, 5)]);
    const same = mergeReceipt(receipts, receipt("Ana", 1, 1));
    expect(same).toBe(receipts);
    expect(mergeReceipt(receipts, receipt("Ben", 1, 0))).toHaveLength(2);
  });

  it("in a direct room, only my last message carries Sent / Delivered / Read", () => {
    const messages = [mine(1), theirs(2), mine(3), mine(4), theirs(5)];
    const show = (receipts: Receipt[]) => [...receiptMarks(messages, receipts, "id-me", true)];
    expect(show([])).toEqual([[4, { kind: "status", status: "sent" }]]);
    expect(show([receipt("Ana", 4, 3)])).toEqual([[4, { kind: "status", status: "delivered" }]]);
    expect(show([receipt("Ana", 5, 5)])).toEqual([[4, { kind: "status", status: "read" }]]);
    expect(receiptMarks([theirs(1)], [], "id-me", true).size).toBe(0);
  });

  it("in a group, 'Seen by' sits on my last message others have read, with who read it", () => {
    const messages = [mine(1), theirs(2), mine(3), mine(4), theirs(5)];
    const show = (receipts: Receipt[]) =>
      [...receiptMarks(messages, receipts, "id-me", false)].map(([seq, mark]) =>
        mark.kind === "seen" ? [seq, mark.readers.map((r) => r.name)] : [seq, mark.status],
      );
    // Nobody has read anything of mine: my last message says how far it got.
    expect(show([receipt("me", 5, 5)])).toEqual([[4, "sent"]]);
    expect(show([receipt("Ana", 4, 0)])).toEqual([[4, "delivered"]]);
    // Ana read up to 2, which includes my first message.
    expect(show([receipt("Ana", 4, 2)])).toEqual([
      [1, ["Ana"]],
      [4, "delivered"],
    ]);
    // Ana read up to 3: "Seen by" there; my last message still says where it stands.
    expect(show([receipt("Ana", 4, 3), receipt("Ben", 2, 2)])).toEqual([
      [3, ["Ana"]],
      [4, "delivered"],
    ]);
    // Both read everything: one mark, on my last message.
    expect(show([receipt("Ana", 5, 5), receipt("Ben", 5, 4), receipt("Cy", 3, 1)])).toEqual([
      [4, ["Ana", "Ben"]],
    ]);
  });

  it("tells a mark that changed what it shows from a new copy of the same one", () => {
    const messages = [mine(1), theirs(2), mine(3)];
    const markOn = (seq: number, receipts: Receipt[]) =>
      receiptMarks(messages, receipts, "id-me", false).get(seq);
    const before = markOn(3, [receipt("Ana", 3, 3)]);
    expect(sameMark(before, markOn(3, [receipt("Ana", 3, 3)]))).toBe(true);
    // A second reader: the row's "Seen by" must render again.
    expect(sameMark(before, markOn(3, [receipt("Ana", 3, 3), receipt("Ben", 3, 3)]))).toBe(false);
    // Delivered, then read: a status mark becomes a "Seen by".
    expect(sameMark(markOn(3, [receipt("Ana", 3, 0)]), before)).toBe(false);
    expect(sameMark(markOn(3, [receipt("Ana", 3, 0)]), markOn(3, [receipt("Ana", 3, 1)]))).toBe(true);
    expect(sameMark(undefined, before)).toBe(false);
    expect(sameMark(undefined, undefined)).toBe(true);
  });
});

describe("MarkSender", () => {
  it("sends the highest wanted mark, never lower or twice", () => {
    const mark = new MarkSender();
    expect(mark.due()).toBeNull();
    expect(mark.want(3)).toBe(true);
    expect(mark.want(5)).toBe(true);
    expect(mark.want(4)).toBe(false);
    expect(mark.due()).toBe(5);
    mark.confirm(5);
    expect(mark.due()).toBeNull();
    expect(mark.want(5)).toBe(false);
    mark.known(9); // the room knew more already (ready's receipts)
    expect(mark.want(7)).toBe(false);
    expect(mark.due()).toBeNull();
    expect(mark.want(10)).toBe(true);
    expect(mark.due()).toBe(10);
  });
});

describe("SendPacer", () => {
  it("allows a burst, then paces sends below the room's limit", () => {
    const pacer = new SendPacer(0, 4, 10);
    for (let i = 0; i < 10; i++) expect(pacer.take(0)).toBe(0);
    expect(pacer.take(0)).toBe(250);
    expect(pacer.take(249)).toBeGreaterThan(0);
    expect(pacer.take(250)).toBe(0);
    // Idle time refills up to the burst, no further.
    for (let i = 0; i < 10; i++) expect(pacer.take(60_000)).toBe(0);
    expect(pacer.take(60_000)).toBeGreaterThan(0);
  });
});
