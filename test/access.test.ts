// The access promise, cell by cell: who may list, read and write which room, over every
// route (room list, room info, history, socket).
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
  createRoom,
  guestSession,
  joinRoom,
  query,
  requestJoin,
  type Session,
  signUp,
  uniqueName,
  upgrade,
} from "./helpers.ts";

const PASSWORD = "open sesame";
type Who = "visitor" | "guest" | "outsider" | "member";

let owner: Session;
let member: Session;
let outsider: Session;
let guest: Session;
let publicRoom: string;
let privateRoom: string;
const sessions = (): Record<Who, Session | null> => ({ visitor: null, guest, outsider, member });

beforeAll(async () => {
  [owner, member, outsider, guest] = await Promise.all([signUp(), signUp(), signUp(), guestSession()]);
  publicRoom = await createRoom(owner);
  privateRoom = await createPrivateRoom(owner, PASSWORD);
  expect((await requestJoin(member, privateRoom, PASSWORD)).status).toBe(200);
  // Something to read in every room.
  for (const roomId of [publicRoom, privateRoom, "lobby"]) {
    const client = await joinRoom(roomId, owner);
    client.send({ type: "send", clientId: `seed-${roomId}`, body: `secret of ${roomId}` });
    await client.next("ack");
    client.close();
  }
}, 60_000);

describe("room list", () => {
  it.each([
    ["visitor", false],
    ["guest", false],
    ["outsider", false],
    ["member", true],
  ] as const)(
    "%s: public rooms and the lobby; the private room only for members (%s)",
    async (who, seesPrivate) => {
      const session = sessions()[who];
      const response = await api("/api/rooms", session ? { cookie: session.cookie } : {});
      const ids = ((await response.json()) as { rooms: { id: string }[] }).rooms.map((r) => r.id);
      expect(ids).toContain("general");
      expect(ids).toContain("lobby");
      expect(ids).toContain(publicRoom);
      expect(ids.includes(privateRoom)).toBe(seesPrivate);
    },
  );
});

describe("room info", () => {
  it("a private room shows only its name to non-members", async () => {
    const response = await api(`/api/rooms/${privateRoom}`, { cookie: outsider.cookie });
    const { room } = (await response.json()) as { room: Record<string, unknown> };
    expect(room).toEqual({
      id: privateRoom,
      name: expect.any(String),
      visibility: "private",
      member: false,
      owner: false,
    });
    const mine = await api(`/api/rooms/${privateRoom}`, { cookie: owner.cookie });
    expect(((await mine.json()) as { room: { owner: boolean } }).room).toMatchObject({
      member: true,
      owner: true,
    });
  });

  it("the lobby exists after migration", async () => {
    expect(await query("select id, visibility from rooms where visibility = 'lobby'")).toEqual([
      { id: "lobby", visibility: "lobby" },
    ]);
  });
});

describe("history", () => {
  const cases: [Who, "public" | "lobby" | "private", number][] = [
    ["visitor", "public", 200],
    ["guest", "public", 200],
    ["outsider", "public", 200],
    ["visitor", "lobby", 200],
    ["guest", "lobby", 200],
    ["visitor", "private", 401],
    ["guest", "private", 403],
    ["outsider", "private", 403],
    ["member", "private", 200],
  ];
  it.each(cases)("%s reading the %s room: %i", async (who, kind, status) => {
    const roomId = kind === "public" ? publicRoom : kind === "lobby" ? "lobby" : privateRoom;
    const session = sessions()[who];
    const response = await api(`/api/rooms/${roomId}/messages`, session ? { cookie: session.cookie } : {});
    expect(response.status).toBe(status);
    const text = await response.text();
    if (status === 200) expect(text).toContain(`secret of ${roomId}`);
    else expect(text).not.toContain("secret of");
  });
});

describe("sockets", () => {
  const cases: [Who, "public" | "lobby" | "private", "none" | "read" | "write"][] = [
    ["visitor", "public", "read"],
    ["guest", "public", "read"],
    ["outsider", "public", "write"],
    ["visitor", "lobby", "read"],
    ["guest", "lobby", "write"],
    ["outsider", "lobby", "write"],
    ["visitor", "private", "none"],
    ["guest", "private", "none"],
    ["outsider", "private", "none"],
    ["member", "private", "write"],
  ];
  it.each(cases)("%s in the %s room may %s", async (who, kind, may) => {
    const roomId = kind === "public" ? publicRoom : kind === "lobby" ? "lobby" : privateRoom;
    const session = sessions()[who];
    if (may === "none") {
      const response = await upgrade(roomId, session ? { cookie: session.cookie } : {});
      expect(response.status).toBe(session ? 403 : 401);
      expect(response.webSocket).toBeNull();
      return;
    }
    const client = await joinRoom(roomId, session);
    expect(client.of("ready")[0]?.room.canWrite).toBe(may === "write");
    // Everyone who may read hears live messages.
    const speaker = await joinRoom(roomId, owner);
    const body = `live ${uniqueName()}`;
    speaker.send({ type: "send", clientId: uniqueName("c"), body });
    await client.until((c) => c.of("message").some((m) => m.body === body), "the live message");

    const clientId = uniqueName("try");
    client.send({ type: "send", clientId, body: "may I?" });
    if (may === "write") {
      const ack = await client.next("ack");
      expect(ack.clientId).toBe(clientId);
    } else {
      const error = await client.next("error");
      expect(error).toMatchObject({ code: "forbidden", clientId });
      expect(client.closed).toBeNull();
      // Nothing was stored or broadcast.
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(speaker.of("message").some((m) => m.clientId === clientId)).toBe(false);
    }
    client.close();
    speaker.close();
  });

  it("a visitor is not listed as online; a guest in the lobby is, with the guest flag", async () => {
    const watcher = await joinRoom("lobby", owner);
    await joinRoom("lobby", null);
    const g = await joinRoom("lobby", guest);
    const online = g.of("ready")[0]?.online ?? [];
    expect(online).toContainEqual({ id: guest.user.id, name: guest.user.name, guest: true });
    expect(online.every((u) => typeof u.id === "string" && u.id.length > 0)).toBe(true);
    expect(online.length).toBe(new Set(online.map((u) => u.id)).size);
    g.send({ type: "send", clientId: "guest-hello", body: "hi from a guest" });
    const seen = await watcher.until(
      (c) => c.of("message").find((m) => m.clientId === "guest-hello"),
      "guest msg",
    );
    expect(seen.author).toEqual({ id: guest.user.id, name: guest.user.name, guest: true });
  });
});

describe("joining a private room", () => {
  it("wrong password 403, right password makes a member who can then read and write; no password needed again", async () => {
    const ana = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const wrong = await requestJoin(ana, roomId, "not it");
    expect(wrong.status).toBe(403);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("wrong_password");
    expect((await upgrade(roomId, { cookie: ana.cookie })).status).toBe(403);

    expect((await requestJoin(ana, roomId, PASSWORD)).status).toBe(200);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: ana.cookie })).status).toBe(200);
    const client = await joinRoom(roomId, ana);
    expect(client.of("ready")[0]?.room.canWrite).toBe(true);
    expect((await requestJoin(ana, roomId)).status).toBe(200);
  });

  it("guests and visitors cannot join", async () => {
    expect((await requestJoin(guest, privateRoom, PASSWORD)).status).toBe(403);
    const visitor = await api(`/api/rooms/${privateRoom}/join`, {
      method: "POST",
      json: { password: PASSWORD },
    });
    expect(visitor.status).toBe(401);
  });

  it("from the 6th failure in a minute: 429 before any hashing, even with the right password; others unaffected", async () => {
    const [mallory, bob] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    for (let i = 0; i < 5; i++) expect((await requestJoin(mallory, roomId, `guess ${i}`)).status).toBe(403);
    const blocked = await requestJoin(mallory, roomId, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await requestJoin(bob, roomId, PASSWORD)).status).toBe(200);
  });

  it("creating a private room needs a password of 4–128 characters, stored only as argon2id", async () => {
    const name = uniqueName("vault");
    const short = await api("/api/rooms", {
      method: "POST",
      cookie: owner.cookie,
      json: { name, visibility: "private", password: "abc" },
    });
    expect(short.status).toBe(400);
    const roomId = await createPrivateRoom(owner, "p".repeat(128));
    const [row] = await query<{ password_hash: string }>("select password_hash from rooms where id = $1", [
      roomId,
    ]);
    expect(row?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const info = await (await api(`/api/rooms/${roomId}`, { cookie: owner.cookie })).text();
    expect(info).not.toContain("argon2");
  });
});

describe("guest sessions", () => {
  it("a guest gets a 24-hour session and is a guest everywhere", async () => {
    const name = uniqueName("Traveller");
    const response = await api("/api/auth/guest", { method: "POST", json: { name: `  ${name}  ` } });
    expect(response.status).toBe(201);
    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Max-Age=86400/);
    const token = /chattr_session=([^;]*)/.exec(cookie)?.[1] ?? "";
    const claims = JSON.parse(
      atob((token.split(".")[1] ?? "").replaceAll("-", "+").replaceAll("_", "/")),
    ) as {
      exp: number;
      iat: number;
    };
    expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
    const me = await api("/api/me", { cookie: /chattr_session=[^;]*/.exec(cookie)?.[0] ?? "" });
    expect(((await me.json()) as { user: unknown }).user).toMatchObject({ username: name, guest: true });
  });

  it("a guest cannot take an account's name, in any case", async () => {
    const ana = await signUp();
    const response = await api("/api/auth/guest", {
      method: "POST",
      json: { name: ana.user.name.toUpperCase() },
    });
    expect(response.status).toBe(409);
  });

  it.each([[""], ["   "], ["x".repeat(33)], ["tab\there"], ["nul\u0000"]])(
    "refuses the name %j",
    async (name) => {
      const response = await api("/api/auth/guest", { method: "POST", json: { name } });
      expect(response.status).toBe(400);
    },
  );

  it("a guest cannot create rooms", async () => {
    const response = await api("/api/rooms", {
      method: "POST",
      cookie: guest.cookie,
      json: { name: "x", visibility: "public" },
    });
    expect(response.status).toBe(403);
  });
});
