// Item 8 of issue 15: frames that are not sends used to cost nothing. 2,000 typing frames
// from one socket reached each watcher 2,000 times, 1,000 `hello`s each got a whole
// `ready`, receipts and hub frames had no limit, and 20 guests from one address each had
// their own send allowance in the lobby. What an attacker sees now: typing goes out at
// most once per user per ~2 s, other frames share a per-socket budget (one
// `rate_limited` error, then dropped; a flood closes with 4008), and guests from one
// address share one send allowance.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  createRoom,
  guestSession,
  type HubClient,
  joinRoom,
  ORIGIN,
  openHub,
  RoomClient,
  type Session,
  signUp,
} from "../helpers.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function typingOf(client: RoomClient, user: { id: string }) {
  return client.of("typing").filter((frame) => frame.user.id === user.id);
}

/** A room socket opened from a given client address, past `hello`. */
async function joinFrom(roomId: string, session: Session, address: string): Promise<RoomClient> {
  const response = await exports.default.fetch(`${ORIGIN}/api/rooms/${roomId}/ws`, {
    headers: { Upgrade: "websocket", Origin: ORIGIN, Cookie: session.cookie, "CF-Connecting-IP": address },
  });
  if (!response.webSocket) throw new Error(`upgrade refused: ${response.status}`);
  const client = new RoomClient(response.webSocket);
  client.send({ type: "hello" });
  await client.next("ready");
  return client;
}

describe("typing", () => {
  it("2,000 typing frames from one socket reach a watcher a handful of times, and the flood is cut off", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    for (let i = 0; i < 2_000; i++) a.send({ type: "typing", active: i % 2 === 0 });
    await a.until((c) => c.closed, "the flooding socket to close", 10_000);
    expect(a.closed?.code).toBe(4008);
    await sleep(500);
    // At most one start and its stop, however the frames came.
    expect(typingOf(b, ana.user).length).toBeLessThanOrEqual(2);
    expect(a.of("error").filter((e) => e.code === "rate_limited").length).toBeLessThanOrEqual(1);
  });

  it("a start right after a stop is dropped silently; a stop still goes out at once", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    a.send({ type: "typing", active: true });
    await b.until((c) => typingOf(c, ana.user).length === 1, "ana typing");
    a.send({ type: "typing", active: false });
    await b.until((c) => typingOf(c, ana.user).length === 2, "ana stopped", 1_000);
    a.send({ type: "typing", active: true });
    a.send({ type: "typing", active: false });
    await sleep(500);
    expect(typingOf(b, ana.user).map((frame) => frame.active)).toEqual([true, false]);
    expect(a.of("error")).toEqual([]);
    // After the interval, typing shows again.
    await sleep(1_700);
    a.send({ type: "typing", active: true });
    await b.until((c) => typingOf(c, ana.user).length === 3, "ana typing again");
    expect(a.closed).toBeNull();
  });
});

describe("hello and receipts", () => {
  it("1,000 hellos get a few readys, one rate_limited error, then 4008", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    for (let i = 0; i < 1_000; i++) a.send({ type: "hello" });
    await a.until((c) => c.closed, "the close", 10_000);
    expect(a.closed?.code).toBe(4008);
    expect(a.of("ready").length).toBeLessThan(20);
    expect(a.of("error").filter((e) => e.code === "rate_limited")).toHaveLength(1);
  });

  it("a flood of receipts is cut off with 4008", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    for (let i = 0; i < 2_000; i++) a.send({ type: i % 2 === 0 ? "read" : "delivered", seq: i });
    await a.until((c) => c.closed, "the close", 10_000);
    expect(a.closed?.code).toBe(4008);
    expect(a.of("error").filter((e) => e.code === "rate_limited").length).toBeLessThanOrEqual(1);
  });

  it("an ordinary client (hello, typing, receipts, sends) is never refused", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    for (let i = 0; i < 10; i++) {
      a.send({ type: "typing", active: true });
      a.send({ type: "send", clientId: `m${i}`, body: `message ${i}` });
      b.send({ type: "delivered", seq: i + 1 });
      b.send({ type: "read", seq: i + 1 });
    }
    a.send({ type: "hello", lastSeq: 0 });
    await a.until((c) => c.of("ack").length === 10, "10 acks");
    await sleep(300);
    expect([...a.of("error"), ...b.of("error")]).toEqual([]);
    expect(a.closed).toBeNull();
    expect(b.closed).toBeNull();
  });
});

describe("hub frames", () => {
  it("1,000 hub hellos get a few readys, then 4008", async () => {
    const ana = await signUp();
    const hub = await openHub(ana);
    for (let i = 0; i < 1_000; i++) hub.send({ type: "hello" });
    await hub.until((c) => c.closed, "the close", 15_000);
    expect(hub.closed?.code).toBe(4008);
    expect(hub.of("ready").length).toBeLessThan(20);
  });

  it("a flood of dismiss_invite frames is cut off with 4008", async () => {
    const ana = await signUp();
    const hub: HubClient = await openHub(ana);
    for (let i = 0; i < 2_000; i++) hub.send({ type: "dismiss_invite", token: `t${i}` });
    await hub.until((c) => c.closed, "the close", 10_000);
    expect(hub.closed?.code).toBe(4008);
  });
});

describe("guests", () => {
  it("20 guests from one address share one send allowance in the lobby", async () => {
    const guests = await Promise.all(Array.from({ length: 20 }, () => guestSession()));
    const address = `10.250.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const sockets = await Promise.all(guests.map((guest) => joinFrom("lobby", guest, address)));
    sockets.forEach((socket, g) => {
      for (let i = 0; i < 15; i++)
        socket.send({ type: "send", clientId: `g${g}x${i}`, body: `guest ${g} ${i}` });
    });
    const answered = (socket: RoomClient) =>
      socket.closed !== null || socket.of("ack").length + socket.of("error").length === 15;
    for (const socket of sockets) await socket.until(answered, "every send answered", 15_000);
    const acks = sockets.reduce((sum, socket) => sum + socket.of("ack").length, 0);
    // One allowance: a burst of 20 and a few refilled while the frames arrive.
    expect(acks).toBeLessThanOrEqual(30);
    const refused = sockets.reduce(
      (sum, socket) => sum + socket.of("error").filter((e) => e.code === "rate_limited").length,
      0,
    );
    expect(refused).toBeGreaterThan(0);
  });

  it("guests from different addresses keep their own allowance", async () => {
    const [one, two] = await Promise.all([guestSession(), guestSession()]);
    const a = await joinFrom("lobby", one, "10.251.0.1");
    const b = await joinFrom("lobby", two, "10.251.0.2");
    for (let i = 0; i < 15; i++) {
      a.send({ type: "send", clientId: `a${i}`, body: `a ${i}` });
      b.send({ type: "send", clientId: `b${i}`, body: `b ${i}` });
    }
    await a.until((c) => c.of("ack").length === 15, "a's acks");
    await b.until((c) => c.of("ack").length === 15, "b's acks");
  });
});
