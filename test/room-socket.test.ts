import { abortAllDurableObjects, evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { UserRef } from "../worker/protocol/room-protocol.ts";
import type { ChatRoom } from "../worker/room/chat-room.ts";
import {
  api,
  createRoom,
  insertArchivedMessages,
  joinRoom,
  RoomClient,
  roomStub,
  signUp,
  upgrade,
} from "./helpers.ts";

describe("room socket upgrade", () => {
  it("without a session: a read-only socket for a public room (access rules: access.test.ts)", async () => {
    const response = await upgrade("general");
    expect(response.status).toBe(101);
    const visitor = new RoomClient(response.webSocket as WebSocket);
    visitor.send({ type: "hello" });
    expect((await visitor.next("ready")).room).toMatchObject({ id: "general", canWrite: false });
  });

  it("403 from a foreign Origin, even with a valid session", async () => {
    const { cookie } = await signUp();
    const response = await upgrade("general", { cookie, origin: "https://evil.example" });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("404 for a room that does not exist", async () => {
    const { cookie } = await signUp();
    expect((await upgrade("no-such-room", { cookie })).status).toBe(404);
    expect((await upgrade("Not A Valid Id!", { cookie })).status).toBe(404);
  });

  it("ready names the room, its latest seq and who is online (including me)", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const response = await upgrade(roomId, { cookie: ana.cookie });
    const client = new RoomClient(response.webSocket as WebSocket);
    client.send({ type: "hello" });
    const ready = await client.next("ready");
    expect(ready.room.id).toBe(roomId);
    expect(ready.seq).toBe(0);
    expect(ready.online).toEqual([{ id: ana.user.id, name: ana.user.name, guest: false }]);
  });
});

describe("chatting", () => {
  it("two clients receive each other's messages in seq order, with the author from the session", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);

    a.send({ type: "send", clientId: "a1", body: "hi ben" });
    await b.until((c) => c.of("message").length === 1, "ana's message");
    // A forged author in the frame is ignored (and the unknown key is not an error).
    b.send({ type: "send", clientId: "b1", body: "  hi ana  ", author: { id: ana.user.id, name: "ana" } });
    a.send({ type: "send", clientId: "a2", body: "how are you?" });

    await a.until((c) => c.of("ack").length === 2, "ana's two acks");
    for (const client of [a, b]) {
      await client.until((c) => c.of("message").length === 3, "three messages");
      const received = client.of("message");
      expect(received.map((m) => m.seq)).toEqual([1, 2, 3]);
      // b1 and a2 race each other; both clients must agree on the order the room chose.
      expect(received[0]).toMatchObject({ clientId: "a1", body: "hi ben", author: { name: ana.user.name } });
      expect(received.map((m) => m.clientId).sort()).toEqual(["a1", "a2", "b1"]);
      const byClient = Object.fromEntries(received.map((m) => [m.clientId, m]));
      expect(byClient.b1?.author).toEqual({ id: ben.user.id, name: ben.user.name, guest: false });
      expect(byClient.b1?.body).toBe("hi ana"); // trimmed
      expect(byClient.a2?.author.id).toBe(ana.user.id);
      expect(received.every((m) => m.roomId === roomId)).toBe(true);
    }
    // Acks go only to the sender.
    expect(
      a
        .of("ack")
        .map((x) => x.clientId)
        .sort(),
    ).toEqual(["a1", "a2"]);
    expect(b.of("ack").map((x) => x.clientId)).toEqual(["b1"]);
    expect(a.of("message").map((m) => m.id)).toEqual(b.of("message").map((m) => m.id));
  });

  it("the ack carries the stored message's seq, id and time", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "only", body: "hello" });
    const [ack, message] = [await a.next("ack"), await a.next("message")];
    expect(ack).toEqual({
      type: "ack",
      clientId: "only",
      seq: 1,
      id: message.id,
      createdAt: message.createdAt,
    });
    expect(Date.parse(ack.createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a repeated clientId yields the original ack and no second message", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    a.send({ type: "send", clientId: "retry-me", body: "once" });
    const first = await a.next("ack");
    // The client retries on a new socket, as after a dropped connection.
    a.close();
    const again = await joinRoom(roomId, ana);
    again.send({ type: "send", clientId: "retry-me", body: "once" });
    const second = await again.next("ack");
    expect(second).toEqual(first);
    // Ben's clientId namespace is his own: the same id from him is a new message.
    b.send({ type: "send", clientId: "retry-me", body: "mine" });
    await b.until((c) => c.of("message").length === 2, "ben's own message");
    await again.until((c) => c.of("message").length === 1, "ben's message on the new socket");
    expect(b.of("message").map((m) => [m.seq, m.body])).toEqual([
      [1, "once"],
      [2, "mine"],
    ]);
    expect(again.of("message")).toHaveLength(1); // only ben's, no duplicate of ana's
  });

  it("replays exactly the messages after lastSeq, in order, before live ones", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    for (let i = 1; i <= 5; i++) a.send({ type: "send", clientId: `m${i}`, body: `message ${i}` });
    await a.until((c) => c.of("ack").length === 5, "five acks");

    const late = await joinRoom(roomId, ana, 2);
    await late.until((c) => c.of("message").length === 3, "the replay");
    expect(late.of("message").map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(late.frames[0]?.type).toBe("ready");

    const current = await joinRoom(roomId, ana, 5);
    a.send({ type: "send", clientId: "m6", body: "live" });
    await current.until((c) => c.of("message").length === 1, "the live message");
    expect(current.of("message")[0]?.seq).toBe(6);
  });

  it("coalesces frames for a client that asks (hello {batch: true}), keeping their order", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    for (let i = 1; i <= 5; i++) a.send({ type: "send", clientId: `m${i}`, body: `message ${i}` });
    await a.until((c) => c.of("ack").length === 5, "five acks");
    expect(a.batches).toBe(0); // it did not ask

    // The replay is written in one go, so `ready` and the replay leave as one batch.
    const batching = await joinRoom(roomId, ana, 1, { batch: true });
    await batching.until((c) => c.of("message").length === 4, "the replay");
    expect(batching.batches).toBe(1);
    expect(batching.frames.map((f) => (f.type === "message" ? f.seq : f.type))).toEqual([
      "ready",
      2,
      3,
      4,
      5,
    ]);
    // Live frames still arrive; a lone frame is sent as itself.
    a.send({ type: "send", clientId: "m6", body: "live" });
    await batching.until((c) => c.of("message").length === 5, "the live message");
    expect(batching.of("message").at(-1)).toMatchObject({ seq: 6, body: "live" });
    expect(batching.raw).toEqual([]);
  });

  it("answers resync when lastSeq is older than what the room still holds", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    // History that only Postgres has (as after the room's hot tail was trimmed).
    await insertArchivedMessages(roomId, ana, 3, "old");
    const a = await joinRoom(roomId, ana, 1);
    const resync = await a.next("resync");
    expect(resync.seq).toBe(3);
    expect(a.of("message")).toHaveLength(0);
    // New messages continue the sequence Postgres already has.
    a.send({ type: "send", clientId: "new", body: "after the old ones" });
    expect((await a.next("ack")).seq).toBe(4);
  });

  it("keeps working across hibernation: sockets, seq and dedupe survive eviction", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    a.send({ type: "send", clientId: "before", body: "before sleep" });
    await b.until((c) => c.of("message").length === 1, "first message");

    await evictDurableObject(roomStub(roomId));

    b.send({ type: "send", clientId: "after", body: "after sleep" });
    a.send({ type: "send", clientId: "before", body: "before sleep" }); // a retry
    await a.until(
      (c) => c.of("message").length === 2 && c.of("ack").length === 2,
      "the message after eviction",
    );
    expect(a.of("message").map((m) => [m.seq, m.body])).toEqual([
      [1, "before sleep"],
      [2, "after sleep"],
    ]);
    expect(a.of("ack").map((x) => x.seq)).toEqual([1, 1]);
    const tail = await runInDurableObject(roomStub(roomId), (room: ChatRoom) =>
      room.historyTail(roomId, { ...ana.user, guest: false } satisfies UserRef, 99, 10),
    );
    expect(tail.status === "ok" && tail.messages.map((m) => m.seq)).toEqual([2, 1]);
  });

  it("an acked message survives the room object being torn down right after the ack", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "durable", body: "written before the ack" });
    const ack = await a.next("ack");
    await abortAllDurableObjects(); // in-memory state gone, only storage remains
    const again = await joinRoom(roomId, ana, 0);
    const replayed = await again.next("message");
    expect(replayed).toMatchObject({ seq: ack.seq, id: ack.id, body: "written before the ack" });
  });

  it("answers the text frame ping with pong without involving the room", async () => {
    const ana = await signUp();
    const a = await joinRoom("general", ana);
    a.ws.send("ping");
    await a.until((c) => c.raw.includes("pong"), "pong");
    expect(a.of("error")).toHaveLength(0);
  });

  it("tells everyone who is online as people come and go", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    const joined = await a.next("presence");
    expect(b.of("presence")).toHaveLength(0); // ben learnt it from ready
    expect(joined.online.map((u) => u.id).sort()).toEqual([ana.user.id, ben.user.id].sort());
    b.close();
    const left = await a.next("presence");
    expect(left.online.map((u) => u.id)).toEqual([ana.user.id]);
  });

  it("tells clients that ask only who came and went (presence_change), and the others full lists", async () => {
    const [ana, ben, cat] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana, undefined, { presenceChanges: true });
    const b = await joinRoom(roomId, ben);
    const benCame = await a.next("presence_change");
    expect(benCame.joined.map((u) => u.id)).toEqual([ben.user.id]);
    expect(benCame.left).toEqual([]);

    const c = await joinRoom(roomId, cat);
    const catCame = await a.next("presence_change");
    expect(catCame).toMatchObject({ joined: [{ id: cat.user.id }], left: [] });
    const full = await b.next("presence"); // ben did not ask: the whole list
    expect(full.online.map((u) => u.id).sort()).toEqual([ana.user.id, ben.user.id, cat.user.id].sort());

    c.close();
    expect(await a.next("presence_change")).toEqual({
      type: "presence_change",
      joined: [],
      left: [cat.user.id],
      version: expect.any(String),
    });
    expect(a.of("presence")).toHaveLength(0);
    // Each change is a new version of the list, and ben, who did not ask, sees none.
    const versions = [a.of("ready")[0]?.presenceVersion, ...a.of("presence_change").map((f) => f.version)];
    expect(new Set(versions).size).toBe(4);
    expect(b.of("ready")[0]).not.toHaveProperty("presenceVersion");
    expect(b.of("presence").every((f) => !("version" in f))).toBe(true);
  });

  it("keeps someone whose connection blips listed: nobody sees them leave and come back", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana, undefined, { presenceChanges: true });
    const b1 = await joinRoom(roomId, ben, undefined, { presenceChanges: true });
    await a.next("presence_change"); // ben came
    // Past the presence interval (100 ms + 1 ms a socket): a change would go out at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    b1.close();
    const b2 = await joinRoom(roomId, ben, undefined, { presenceChanges: true });
    expect(
      b2
        .of("ready")[0]
        ?.online?.map((u) => u.id)
        .sort(),
    ).toEqual([ana.user.id, ben.user.id].sort());
    // A message after the blip arrives; no presence came before it (or with it).
    a.send({ type: "send", clientId: "after-blip", body: "still here?" });
    await a.next("ack");
    expect(a.of("presence_change")).toHaveLength(1);

    // Gone for good: listed until the grace period (2 s) ends, then the others hear it.
    b2.close();
    const left = await a.next("presence_change");
    expect(left).toMatchObject({ joined: [], left: [ben.user.id] });
  });

  it("someone the room lets go (here: logged out) leaves the list at once, with no grace period", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana, undefined, { presenceChanges: true });
    const b = await joinRoom(roomId, ben);
    await a.next("presence_change"); // ben came
    // Past the presence interval (100 ms + 1 ms a socket), so the next change goes out at once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const loggedOut = await api("/api/auth/logout", { method: "POST", cookie: ben.cookie, json: {} });
    expect(loggedOut.status).toBe(204);
    expect((await b.until((c) => c.closed, "close"))?.code).toBe(4001);
    // Ana's next frames: ben's leaving comes before the answer to anything she sends now.
    a.send({ type: "send", clientId: "after-logout", body: "where did ben go?" });
    await a.next("ack");
    expect(a.of("presence_change").at(-1)).toMatchObject({ joined: [], left: [ben.user.id] });
  });

  it("a resuming client that holds the current list is not sent it again", async () => {
    const [ana, ben, cat] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana, undefined, { presenceChanges: true });
    const b1 = await joinRoom(roomId, ben, undefined, { presenceChanges: true });
    const version = b1.of("ready")[0]?.presenceVersion;
    expect(version).toEqual(expect.any(String));
    b1.close();
    const b2 = await joinRoom(roomId, ben, undefined, { presenceChanges: true, presenceVersion: version });
    const resumed = b2.of("ready")[0];
    expect(resumed).not.toHaveProperty("online");
    expect(resumed?.presenceVersion).toBe(version);

    // Once the list changed, the old version gets the whole list again, as does a version
    // this room never gave (another object's, from before a restart).
    await joinRoom(roomId, cat);
    await a.until(
      (c) => c.of("presence_change").some((f) => f.joined.some((u) => u.id === cat.user.id)),
      "cat's arrival",
    );
    for (const stale of [version, "0000.1", "not a version"]) {
      const again = await joinRoom(roomId, ben, undefined, { presenceChanges: true, presenceVersion: stale });
      expect(
        again
          .of("ready")[0]
          ?.online?.map((u) => u.id)
          .sort(),
      ).toEqual([ana.user.id, ben.user.id, cat.user.id].sort());
      again.close();
    }
    // Without `presenceChanges`, a version is not read: the contract's `ready` as ever.
    const plain = await joinRoom(roomId, ben, undefined, {
      presenceVersion: b2.of("ready")[0]?.presenceVersion ?? "",
    });
    expect(plain.of("ready")[0]?.online).toHaveLength(3);
  });
});

describe("bad frames", () => {
  it("malformed JSON, unknown types and binary frames get an error frame and the socket stays usable", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send("{not json");
    a.send({ type: "shout", body: "hey" });
    a.send({ type: "send", clientId: "bad id with spaces", body: "x" });
    a.send({ type: "hello", lastSeq: -1 });
    a.ws.send(new Uint8Array([1, 2, 3]));
    await a.until((c) => c.of("error").length === 5, "five errors");
    const errors = a.of("error");
    expect(errors.every((e) => e.code === "invalid_frame")).toBe(true);
    expect(errors[1]?.message).toMatch(/Unknown frame type "shout"/);
    expect(errors[2]?.message).toMatch(/clientId/);

    a.send({ type: "send", clientId: "ok", body: "still here" });
    expect((await a.next("message")).body).toBe("still here");
    expect(a.closed).toBeNull();
  });

  it("an empty or over-long body is refused with invalid_body and the clientId, and nothing is stored", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "empty", body: "   \n  " });
    a.send({ type: "send", clientId: "long", body: "x".repeat(4001) });
    a.send({ type: "send", clientId: "max", body: "y".repeat(4000) });
    await a.until((c) => c.of("error").length === 2 && c.of("ack").length === 1, "two errors and an ack");
    expect(a.of("error").map((e) => [e.code, e.clientId])).toEqual([
      ["invalid_body", "empty"],
      ["invalid_body", "long"],
    ]);
    expect(a.of("ack")[0]).toMatchObject({ clientId: "max", seq: 1 });
  });

  it("a frame over 16 KiB closes the socket with 1009 before parsing", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    a.send({ type: "send", clientId: "huge", body: "é".repeat(9000) }); // 18 000 bytes
    await a.until((c) => c.closed, "the close");
    expect(a.closed?.code).toBe(1009);
    expect(a.of("ack")).toHaveLength(0);
    const b = await joinRoom(roomId, ana);
    expect(b.of("ready")[0]?.seq).toBe(0);
  });
});
