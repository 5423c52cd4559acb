// Invite links, and what a room's owner may do: rename, change the password, remove a
// member, delete the room. Each change reaches live sockets at once.
import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
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
let owner: Session;

beforeAll(async () => {
  owner = await signUp();
});

async function invite(session: Session, roomId: string) {
  const response = await api(`/api/rooms/${roomId}/invites`, {
    method: "POST",
    cookie: session.cookie,
    json: {},
  });
  return { response, body: (await response.json()) as { token: string; url: string; expiresAt: string } };
}

const redeem = (session: Session | null, token: string) =>
  api(`/api/invites/${token}`, { method: "POST", json: {}, ...(session ? { cookie: session.cookie } : {}) });

describe("invites", () => {
  it("a member's invite link lets a signed-in person join a private room without the password", async () => {
    const friend = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const { response, body } = await invite(owner, roomId);
    expect(response.status).toBe(201);
    expect(body.url).toBe(`http://chattr.test/invite/${body.token}`);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 24 * 3600 * 1000);

    const preview = await api(`/api/invites/${body.token}`);
    expect(((await preview.json()) as { room: { id: string } }).room.id).toBe(roomId);

    const joined = await redeem(friend, body.token);
    expect(joined.status).toBe(200);
    expect(((await joined.json()) as { room: { member: boolean } }).room.member).toBe(true);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: friend.cookie })).status).toBe(200);
    const client = await joinRoom(roomId, friend);
    expect(client.of("ready")[0]?.room.canWrite).toBe(true);
  });

  it("only members may create invites to a private room", async () => {
    const outsider = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    expect((await invite(outsider, roomId)).response.status).toBe(403);
  });

  it("guests and visitors cannot redeem an invite", async () => {
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const { body } = await invite(owner, roomId);
    expect((await redeem(await guestSession(), body.token)).status).toBe(403);
    expect((await redeem(null, body.token)).status).toBe(401);
  });

  it("an expired invite no longer works", async () => {
    const late = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const { body } = await invite(owner, roomId);
    await query("update invites set expires_at = now() - interval '1 second' where token = $1", [body.token]);
    const response = await redeem(late, body.token);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(
      /expired or was revoked/,
    );
    expect((await upgrade(roomId, { cookie: late.cookie })).status).toBe(403);
  });

  it("the owner can revoke any invite; a member only their own", async () => {
    const [member, late] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const ownersLink = (await invite(owner, roomId)).body.token;
    expect((await redeem(member, ownersLink)).status).toBe(200);
    const { body } = await invite(member, roomId);
    const revoke = (session: Session, token: string) =>
      api(`/api/rooms/${roomId}/invites/${token}`, { method: "DELETE", cookie: session.cookie, json: {} });
    expect((await revoke(member, ownersLink)).status).toBe(404);
    expect((await revoke(owner, body.token)).status).toBe(204);
    expect((await redeem(late, body.token)).status).toBe(404);
  });
});

describe("the owner's powers", () => {
  it("lists the private rooms I created on the settings page", async () => {
    const me = await signUp();
    const mine = await createPrivateRoom(me, PASSWORD, "my den");
    await createPrivateRoom(owner, PASSWORD); // someone else's
    const response = await api("/api/me/rooms", { cookie: me.cookie });
    const { rooms } = (await response.json()) as { rooms: { id: string; name: string }[] };
    expect(rooms.map((r) => [r.id, r.name])).toEqual([[mine, "my den"]]);
  });

  it("renames the room; others cannot", async () => {
    const other = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const name = uniqueName("renamed");
    const notOwner = await api(`/api/rooms/${roomId}`, {
      method: "PATCH",
      cookie: other.cookie,
      json: { name },
    });
    expect(notOwner.status).toBe(403);
    const response = await api(`/api/rooms/${roomId}`, {
      method: "PATCH",
      cookie: owner.cookie,
      json: { name },
    });
    expect(response.status).toBe(200);
    const client = await joinRoom(roomId, owner);
    expect(client.of("ready")[0]?.room.name).toBe(name);
    const info = await api(`/api/rooms/${roomId}`, { cookie: owner.cookie });
    expect(((await info.json()) as { room: { name: string } }).room.name).toBe(name);
  });

  it("changes the password: the old one stops working, the new one works, members stay", async () => {
    const [member, newcomer] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    expect((await requestJoin(member, roomId, PASSWORD)).status).toBe(200);
    const changed = await api(`/api/rooms/${roomId}`, {
      method: "PATCH",
      cookie: owner.cookie,
      json: { password: "new secret" },
    });
    expect(changed.status).toBe(200);
    expect((await requestJoin(newcomer, roomId, PASSWORD)).status).toBe(403);
    expect((await requestJoin(newcomer, roomId, "new secret")).status).toBe(200);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: member.cookie })).status).toBe(200);
  });

  it("lists members to members only, and live invites to the owner only", async () => {
    const [member, outsider] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    await requestJoin(member, roomId, PASSWORD);
    const response = await api(`/api/rooms/${roomId}/members`, { cookie: member.cookie });
    const { members } = (await response.json()) as { members: { id: string; role: string }[] };
    expect(members.map((m) => [m.id, m.role])).toEqual([
      [owner.user.id, "owner"],
      [member.user.id, "member"],
    ]);
    expect((await api(`/api/rooms/${roomId}/members`, { cookie: outsider.cookie })).status).toBe(403);

    const { body } = await invite(owner, roomId);
    const revoked = await invite(owner, roomId);
    await api(`/api/rooms/${roomId}/invites/${revoked.body.token}`, {
      method: "DELETE",
      cookie: owner.cookie,
      json: {},
    });
    const list = await api(`/api/rooms/${roomId}/invites`, { cookie: owner.cookie });
    const { invites } = (await list.json()) as { invites: { token: string }[] };
    expect(invites.map((i) => i.token)).toEqual([body.token]);
    expect((await api(`/api/rooms/${roomId}/invites`, { cookie: member.cookie })).status).toBe(403);
  });

  it("removes a member: their socket closes with 4003 and the room is closed to them", async () => {
    const member = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    await requestJoin(member, roomId, PASSWORD);
    const client = await joinRoom(roomId, member);
    const response = await api(`/api/rooms/${roomId}/members/${member.user.id}`, {
      method: "DELETE",
      cookie: owner.cookie,
      json: {},
    });
    expect(response.status).toBe(204);
    await client.until((c) => c.closed, "the close");
    expect(client.closed?.code).toBe(4003);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: member.cookie })).status).toBe(403);
    expect((await upgrade(roomId, { cookie: member.cookie })).status).toBe(403);
    const list = (await (await api("/api/rooms", { cookie: member.cookie })).json()) as {
      rooms: { id: string }[];
    };
    expect(list.rooms.map((r) => r.id)).not.toContain(roomId);
  });

  it("deletes the room: everyone inside is disconnected with 4003, and it is gone from every route", async () => {
    const member = await signUp();
    const roomId = await createPrivateRoom(owner, PASSWORD);
    await requestJoin(member, roomId, PASSWORD);
    const [a, b] = [await joinRoom(roomId, owner), await joinRoom(roomId, member)];
    a.send({ type: "send", clientId: "bye", body: "last words" });
    await a.next("ack");
    const notOwner = await api(`/api/rooms/${roomId}`, { method: "DELETE", cookie: member.cookie, json: {} });
    expect(notOwner.status).toBe(403);
    const response = await api(`/api/rooms/${roomId}`, { method: "DELETE", cookie: owner.cookie, json: {} });
    expect(response.status).toBe(204);
    for (const client of [a, b]) {
      await client.until((c) => c.closed, "the close");
      expect(client.closed?.code).toBe(4003);
    }
    expect((await api(`/api/rooms/${roomId}`, { cookie: owner.cookie })).status).toBe(404);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: owner.cookie })).status).toBe(404);
    expect((await upgrade(roomId, { cookie: owner.cookie })).status).toBe(404);
    expect(await query("select 1 from messages where room_id = $1", [roomId])).toEqual([]);
  });
});
