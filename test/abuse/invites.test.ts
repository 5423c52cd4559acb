// Invite links as an attacker would use them: a removed member coming back through a link
// they made before (or one a friend of theirs holds).
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  createPrivateRoom,
  openHub,
  requestJoin,
  type Session,
  signUp,
  upgrade,
} from "../helpers.ts";

const PASSWORD = "open sesame";
const GONE = "This invite link has expired or was revoked. Ask for a new one.";

async function invite(session: Session, roomId: string): Promise<string> {
  const response = await api(`/api/rooms/${roomId}/invites`, {
    method: "POST",
    cookie: session.cookie,
    json: {},
  });
  if (response.status !== 201) throw new Error(`invite failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

const redeem = (session: Session, token: string) =>
  api(`/api/invites/${token}`, { method: "POST", cookie: session.cookie, json: {} });

const removeMember = (owner: Session, roomId: string, userId: string) =>
  api(`/api/rooms/${roomId}/members/${userId}`, { method: "DELETE", cookie: owner.cookie, json: {} });

async function errorOf(response: Response) {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

/** An owner, a private room, and `count` members who joined it with its password. */
async function roomWithMembers(count: number) {
  const owner = await signUp();
  const roomId = await createPrivateRoom(owner, PASSWORD);
  const members = await Promise.all(Array.from({ length: count }, () => signUp()));
  for (const member of members) expect((await requestJoin(member, roomId, PASSWORD)).status).toBe(200);
  return { owner, roomId, members };
}

describe("removed means removed", () => {
  it("a removed member cannot come back with an invite link they made before", async () => {
    const { owner, roomId, members } = await roomWithMembers(1);
    const [bob] = members as [Session];
    const own = await invite(bob, roomId);

    expect((await removeMember(owner, roomId, bob.user.id)).status).toBe(204);
    expect(await errorOf(await redeem(bob, own))).toEqual({
      status: 404,
      code: "invite_not_found",
      message: GONE,
    });
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: bob.cookie })).status).toBe(403);
    expect((await upgrade(roomId, { cookie: bob.cookie })).status).toBe(403);
  });

  it("the links a removed member made stop working for whoever holds them", async () => {
    const { owner, roomId, members } = await roomWithMembers(1);
    const [bob] = members as [Session];
    const carol = await signUp();
    const handedOn = await invite(bob, roomId);

    expect((await removeMember(owner, roomId, bob.user.id)).status).toBe(204);
    expect(await errorOf(await redeem(carol, handedOn))).toMatchObject({
      status: 404,
      code: "invite_not_found",
      message: GONE,
    });
    expect((await api(`/api/invites/${handedOn}`)).status).toBe(404);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: carol.cookie })).status).toBe(403);
  });

  it("a friend's pending invitation from a removed member fails cleanly when used", async () => {
    const { owner, roomId, members } = await roomWithMembers(1);
    const [bob] = members as [Session];
    const carol = await signUp();
    await befriend(bob, carol);
    const carolHub = await openHub(carol);
    const sent = await api(`/api/rooms/${roomId}/invitations`, {
      method: "POST",
      cookie: bob.cookie,
      json: { userId: carol.user.id },
    });
    expect(sent.status).toBe(201);
    const { token } = await carolHub.next("room_invite");

    expect((await removeMember(owner, roomId, bob.user.id)).status).toBe(204);
    expect(await errorOf(await redeem(carol, token))).toMatchObject({
      status: 404,
      code: "invite_not_found",
      message: GONE,
    });
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: carol.cookie })).status).toBe(403);
    carolHub.close();
  });

  it("a new password revokes every link the owner did not make; the owner's keep working", async () => {
    const { owner, roomId, members } = await roomWithMembers(2);
    const [bob, dave] = members as [Session, Session];
    const [carol, erin] = await Promise.all([signUp(), signUp()]);
    const bobs = await invite(bob, roomId);
    const daves = await invite(dave, roomId);
    const owners = await invite(owner, roomId);

    // Bob is removed first (his link dies with that); Dave's link would still let Bob back.
    expect((await removeMember(owner, roomId, bob.user.id)).status).toBe(204);
    const changed = await api(`/api/rooms/${roomId}`, {
      method: "PATCH",
      cookie: owner.cookie,
      json: { password: "a brand new one" },
    });
    expect(changed.status).toBe(200);

    expect(await errorOf(await redeem(bob, daves))).toMatchObject({ status: 404, code: "invite_not_found" });
    expect(await errorOf(await redeem(carol, bobs))).toMatchObject({ status: 404, code: "invite_not_found" });
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: bob.cookie })).status).toBe(403);
    expect((await redeem(erin, owners)).status).toBe(200);
    // Members stay members; only links were revoked.
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: dave.cookie })).status).toBe(200);
  });

  it("a removed member comes back through the owner: a new link or the new password", async () => {
    const { owner, roomId, members } = await roomWithMembers(2);
    const [bob, dave] = members as [Session, Session];
    expect((await removeMember(owner, roomId, bob.user.id)).status).toBe(204);
    expect((await redeem(bob, await invite(owner, roomId))).status).toBe(200);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: bob.cookie })).status).toBe(200);

    expect((await removeMember(owner, roomId, dave.user.id)).status).toBe(204);
    expect((await requestJoin(dave, roomId, PASSWORD)).status).toBe(200);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: dave.cookie })).status).toBe(200);
  });
});
