// Resume, receipts, typing, presence and flood limits, through real sockets in workerd.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TYPING_TTL_MS } from "../worker/protocol/room-protocol.ts";
import type { ChatRoom } from "../worker/room/chat-room.ts";
import { HOT_TAIL, RoomLog } from "../worker/room/room-log.ts";
import {
  api,
  createRoom,
  eventually,
  joinRoom,
  query,
  RoomClient,
  roomStub,
  type Session,
  sendAll,
  signUp,
  upgrade,
} from "./helpers.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("resume", () => {
  it("a client that missed 500 messages gets exactly those, in order, before live ones", async () => {
    const senders = await Promise.all(Array.from({ length: 10 }, () => signUp()));
    const reader = await signUp();
    const roomId = await createRoom(reader);
    const away = await joinRoom(roomId, reader);
    const first = senders[0] as Session;
    const warmup = await joinRoom(roomId, first);
    await sendAll(warmup, ["seen before leaving"]);
    await away.until((c) => c.of("message").length === 1, "the first message");
    const lastSeq = away.of("message")[0]?.seq ?? -1;
    away.close();

    // 10 people send 50 messages each while the reader is away.
    const clients = await Promise.all(senders.map((s) => (s === first ? warmup : joinRoom(roomId, s))));
    await Promise.all(
      clients.map((client, i) =>
        sendAll(
          client,
          Array.from({ length: 50 }, (_, j) => `sender ${i} message ${j}`),
        ),
      ),
    );
    await runDurableObjectAlarm(roomStub(roomId)); // some of it is in Postgres by now, too

    const back = await joinRoom(roomId, reader, lastSeq);
    warmup.send({ type: "send", clientId: "live-after-resume", body: "live" });
    await back.until((c) => c.of("message").length === 501, "500 missed + 1 live");
    const seqs = back.of("message").map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: 501 }, (_, i) => lastSeq + 1 + i));
    expect(back.of("message").at(-1)?.body).toBe("live");
    expect(back.of("resync")).toHaveLength(0);
  }, 60_000);

  it("a send whose socket dropped before the ack is stored once when resent with its clientId", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const b = await joinRoom(roomId, ben);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "lost-ack", body: "did it arrive?" });
    a.close(); // gone before the ack could be read
    const again = await joinRoom(roomId, ana, 0);
    // The replay already shows it: the client knows it arrived, and a resend is harmless.
    again.send({ type: "send", clientId: "lost-ack", body: "did it arrive?" });
    const ack = await again.next("ack");
    await b.until((c) => c.of("message").length >= 1, "ben sees it");
    await sleep(200);
    expect(b.of("message").map((m) => m.body)).toEqual(["did it arrive?"]);
    expect(ack.seq).toBe(1);
    expect(again.of("message").map((m) => m.seq)).toEqual([1]);
  });
});

describe("exactly-once beyond the hot tail", () => {
  it("a retry of a message that was flushed and trimmed gets its original ack, not a copy", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "early", body: "the first word" });
    const original = await a.next("ack");
    a.close();

    // More than a hot tail of newer messages (written through the room's own log, as the
    // flood limit would make a real burst this size take minutes), all flushed.
    const stub = roomStub(roomId);
    await runInDurableObject(stub, (_room: ChatRoom, state) => {
      const log = new RoomLog(state.storage.sql);
      const author = { id: ben.user.id, name: ben.user.name, guest: false };
      for (let i = 0; i < HOT_TAIL + 50; i++)
        log.appendIfNew(author, `filler ${i}`, `filler-${i}`, Date.now());
    });
    await evictDurableObject(stub); // the instance reloads its log from storage
    const b = await joinRoom(roomId, ben);
    b.send({ type: "send", clientId: "kick", body: "schedules a flush" });
    await b.next("ack");
    for (let i = 0; i < 5 && (await runDurableObjectAlarm(stub)); i++);
    const held = await runInDurableObject(stub, (_room: ChatRoom, state) =>
      state.storage.sql.exec<{ n: number }>("SELECT MIN(seq) AS n FROM messages").one(),
    );
    expect(held.n).toBeGreaterThan(1); // seq 1 has left the tail

    const again = await joinRoom(roomId, ana);
    again.send({ type: "send", clientId: "early", body: "the first word" });
    expect(await again.next("ack")).toEqual(original);
    await sleep(200);
    expect(b.of("message").filter((m) => m.clientId === "early")).toHaveLength(0);
    expect(
      await query("select seq from messages where room_id = $1 and client_id = 'early'", [roomId]),
    ).toEqual([{ seq: "1" }]);
  }, 30_000);
});

describe("receipts", () => {
  it("moves delivered and read marks forward only, coalesced, and tells everyone", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    await sendAll(a, ["1", "2", "3", "4", "5"]);

    // Several updates in one burst: one receipt frame with the final marks.
    b.send({ type: "delivered", seq: 3 });
    b.send({ type: "delivered", seq: 5 });
    b.send({ type: "read", seq: 2 });
    b.send({ type: "delivered", seq: 4 }); // backwards: ignored
    const receipt = await a.next("receipt");
    expect(receipt).toEqual({
      type: "receipt",
      userId: ben.user.id,
      name: ben.user.name,
      delivered: 5,
      read: 2,
    });
    await sleep(400);
    expect(a.of("receipt")).toHaveLength(1);

    b.send({ type: "read", seq: 1 }); // backwards: nothing happens
    b.send({ type: "read", seq: 99 }); // beyond the latest message: clamped to 5
    const next = await a.next("receipt");
    expect(next).toMatchObject({ userId: ben.user.id, delivered: 5, read: 5 });

    // A newcomer learns every mark from `ready`.
    const late = await joinRoom(roomId, ana);
    const ready = late.of("ready")[0];
    expect(ready?.receipts).toContainEqual({
      userId: ben.user.id,
      name: ben.user.name,
      delivered: 5,
      read: 5,
    });

    // And Postgres has them after the flush.
    await runDurableObjectAlarm(roomStub(roomId));
    expect(
      await query("select delivered_seq, read_seq from room_members where room_id = $1 and user_id = $2", [
        roomId,
        ben.user.id,
      ]),
    ).toEqual([{ delivered_seq: "5", read_seq: "5" }]);
  });

  it("reading implies delivery", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    await sendAll(a, ["x", "y"]);
    b.send({ type: "read", seq: 2 });
    expect(await a.next("receipt")).toMatchObject({ delivered: 2, read: 2 });
  });
});

describe("typing", () => {
  it("is shown to others, cleared by sending, and listed in ready", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    a.send({ type: "typing", active: true });
    expect(await b.next("typing")).toEqual({
      type: "typing",
      user: { id: ana.user.id, name: ana.user.name, guest: false },
      active: true,
    });
    a.send({ type: "typing", active: true }); // a refresh is not news
    const c = await joinRoom(roomId, ben);
    expect(c.of("ready")[0]?.typing.map((u) => u.id)).toEqual([ana.user.id]);

    a.send({ type: "send", clientId: "t1", body: "done typing" });
    const stopped = await b.next("typing");
    expect(stopped.active).toBe(false);
    // "stopped typing" arrives before the message itself.
    const order = b.frames.filter((f) => f.type === "typing" || f.type === "message").map((f) => f.type);
    await b.until((x) => x.of("message").length === 1, "the message");
    expect(b.frames.filter((f) => f.type === "typing" || f.type === "message").map((f) => f.type)).toEqual([
      ...order,
      "message",
    ]);
    expect(b.of("typing")).toHaveLength(2);
  });

  it("is cleared when the typist's socket closes", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    a.send({ type: "typing", active: true });
    await b.next("typing");
    a.close();
    expect(await b.next("typing")).toMatchObject({ user: { id: ana.user.id }, active: false });
  });

  it("expires by itself when not refreshed", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    const started = Date.now();
    a.send({ type: "typing", active: true });
    await b.next("typing");
    const expired = await b.until(
      (c) => c.of("typing").find((t) => !t.active),
      "typing to expire",
      TYPING_TTL_MS + 3_000,
    );
    expect(expired.user.id).toBe(ana.user.id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(TYPING_TTL_MS - 100);
    expect(a.closed).toBeNull(); // the socket itself is fine
  }, 20_000);
});

describe("presence", () => {
  it("drops a socket that stops pinging without closing, and tells the others", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const response = await upgrade(roomId, { cookie: ben.cookie });
    const silent = new RoomClient(response.webSocket as WebSocket, { silent: true });
    silent.send({ type: "hello" });
    await silent.next("ready");
    expect((await a.next("presence")).online.map((u) => u.id).sort()).toEqual(
      [ana.user.id, ben.user.id].sort(),
    );

    // The tests' presence timeout is 3 s; the room sweeps every 1.5 s.
    const left = await a.until(
      (c) => c.of("presence").find((p) => p.online.length === 1),
      "ben to leave presence",
      8_000,
    );
    expect(left.online.map((u) => u.id)).toEqual([ana.user.id]);
    expect(a.closed).toBeNull(); // the pinging socket stays
  }, 15_000);
});

describe("flood limit", () => {
  it("refuses sends over the rate with rate_limited, stores none of them, and leaves others alone", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    for (let i = 0; i < 40; i++) a.send({ type: "send", clientId: `f${i}`, body: `flood ${i}` });
    await a.until((c) => c.of("ack").length + c.of("error").length === 40, "40 answers");
    // The burst of 20 goes through (a token or two may refill while the frames arrive on a
    // busy machine); the rest is refused.
    const acked = a.of("ack").map((x) => x.clientId);
    const refused = a.of("error");
    expect(acked.length).toBeGreaterThanOrEqual(20);
    expect(acked.length).toBeLessThan(30);
    expect(refused.every((e) => e.code === "rate_limited")).toBe(true);
    expect(acked.slice(0, 20)).toEqual(Array.from({ length: 20 }, (_, i) => `f${i}`));

    b.send({ type: "send", clientId: "calm", body: "I can still talk" });
    expect((await b.next("ack")).seq).toBe(acked.length + 1);
    await b.until((c) => c.of("message").length === acked.length + 1, "all messages");
    // Nothing refused was stored or broadcast.
    const refusedIds = new Set(refused.map((e) => e.clientId));
    expect(b.of("message").filter((m) => refusedIds.has(m.clientId))).toEqual([]);
  });

  it("closes the socket with 4008 when the flooding goes on", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    for (let i = 0; i < 100; i++) a.send({ type: "send", clientId: `z${i}`, body: "spam" });
    await a.until((c) => c.closed, "the close");
    expect(a.closed?.code).toBe(4008);
  });
});

describe("room list", () => {
  it("shows how many are online and the signed-in user's unread count", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    await sendAll(a, ["1", "2", "3", "4"]);
    await b.until((c) => c.of("message").length === 4, "ben has them");
    b.send({ type: "read", seq: 1 });
    await a.next("receipt");

    type Listed = { id: string; online: number; unread: number };
    const list = async (session?: Session) =>
      (
        (await (await api("/api/rooms", session ? { cookie: session.cookie } : {})).json()) as {
          rooms: Listed[];
        }
      ).rooms;
    // The rooms push their counts to the list within about a second (room_activity).
    const counts = async (session?: Session) => (await list(session)).find((r) => r.id === roomId);
    const settled = (want: { online: number; unread: number }) => (room: Listed | undefined) =>
      room?.online === want.online && room.unread === want.unread;
    expect(await eventually(() => counts(ben), settled({ online: 2, unread: 3 }))).toMatchObject({
      online: 2,
      unread: 3,
    });
    expect(await counts(ana)).toMatchObject({ online: 2, unread: 0 });
    expect(await counts()).toMatchObject({ online: 2, unread: 0 });
  });
});
