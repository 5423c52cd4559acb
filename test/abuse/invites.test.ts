// Invite links as an attacker would use them: a removed member coming back through a link
// they made before (or one a friend of theirs holds), and anyone minting links without end.
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  createPrivateRoom,
  openHub,
  query,
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

/** Puts live invites made by `createdBy` straight into Postgres, expiring `expiresInMs` from now. */
/** Links shaped as the app mints them (32 base64url characters), so routes take their tokens. */
async function insertLiveInvites(roomId: string, createdBy: string, count: number, expiresInMs: number) {
  await query(
    `insert into invites (token, room_id, created_by, expires_at)
     select substr(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 1, 32), $1, $2,
       now() + make_interval(secs => $4::float8 / 1000)
     from generate_series(1, $3::int)`,
    [roomId, createdBy, count, expiresInMs],
  );
}

const HOUR = 3_600_000;

describe("live invite links are bounded", () => {
  it("a room holds at most 50 live links: concurrent creations at the cap let exactly one through", async () => {
    const { owner, roomId, members } = await roomWithMembers(3);
    const [a, b, c] = members as [Session, Session, Session];
    // 49 live links from three members, the oldest expiring in an hour; dead ones do not count.
    await insertLiveInvites(roomId, a.user.id, 1, HOUR);
    await insertLiveInvites(roomId, a.user.id, 15, 5 * HOUR);
    await insertLiveInvites(roomId, b.user.id, 17, 5 * HOUR);
    await insertLiveInvites(roomId, c.user.id, 16, 5 * HOUR);
    await insertLiveInvites(roomId, c.user.id, 5, -HOUR);

    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(`/api/rooms/${roomId}/invites`, { method: "POST", cookie: owner.cookie, json: {} }),
      ),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 429, 429, 429, 429, 429, 429, 429, 429, 429]);
    const refused = responses.find((r) => r.status === 429);
    if (!refused) throw new Error("no refusal");
    const retryAfter = Number(refused.headers.get("Retry-After"));
    expect(retryAfter).toBeGreaterThan(3_500);
    expect(retryAfter).toBeLessThanOrEqual(3_600);
    expect(await errorOf(refused)).toMatchObject({ code: "too_many_invites" });
    const live = await query<{ n: number }>(
      "select count(*)::int as n from invites where room_id = $1 and revoked_at is null and expires_at > now()",
      [roomId],
    );
    expect(live[0]?.n).toBe(50);

    // Revoking one makes room for one.
    const [oldest] = await query<{ token: string }>(
      "select token from invites where room_id = $1 and expires_at > now() order by expires_at limit 1",
      [roomId],
    );
    if (!oldest) throw new Error("no live invite");
    const revoked = await api(`/api/rooms/${roomId}/invites/${oldest.token}`, {
      method: "DELETE",
      cookie: owner.cookie,
      json: {},
    });
    expect(revoked.status).toBe(204);
    await invite(owner, roomId);
  });

  it("one person holds at most 20 live links per room, so one member cannot use up the room's", async () => {
    const { roomId, members } = await roomWithMembers(2);
    const [a, b] = members as [Session, Session];
    await insertLiveInvites(roomId, a.user.id, 19, 2 * HOUR);
    const responses = await Promise.all(
      Array.from({ length: 6 }, () =>
        api(`/api/rooms/${roomId}/invites`, { method: "POST", cookie: a.cookie, json: {} }),
      ),
    );
    expect(responses.map((r) => r.status).sort()).toEqual([201, 429, 429, 429, 429, 429]);
    const refused = responses.find((r) => r.status === 429);
    if (!refused) throw new Error("no refusal");
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(7_000);
    const error = await errorOf(refused);
    expect(error).toMatchObject({ code: "too_many_invites" });
    expect(error.message).toContain("20 live invite links");
    // Someone else in the room still can.
    await invite(b, roomId);
  });

  it("inviting a friend makes a link too, and is refused at the cap without reaching the friend", async () => {
    const { roomId, members } = await roomWithMembers(1);
    const [a] = members as [Session];
    const friend = await signUp();
    await befriend(a, friend);
    const hub = await openHub(friend);
    await insertLiveInvites(roomId, a.user.id, 20, HOUR);
    const sent = await api(`/api/rooms/${roomId}/invitations`, {
      method: "POST",
      cookie: a.cookie,
      json: { userId: friend.user.id },
    });
    expect(sent.status).toBe(429);
    expect(sent.headers.get("Retry-After")).not.toBeNull();
    expect(await errorOf(sent)).toMatchObject({ code: "too_many_invites" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hub.of("room_invite")).toEqual([]);
    hub.close();
  });
});

describe("revoking a link", () => {
  const revoke = (session: Session, roomId: string, token: string) =>
    api(`/api/rooms/${roomId}/invites/${token}`, { method: "DELETE", cookie: session.cookie });

  it("a member revokes the link they made (the invite dialog's Revoke); it stops working", async () => {
    const [owner, member, newcomer] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    expect((await requestJoin(member, roomId, PASSWORD)).status).toBe(200);
    const token = await invite(member, roomId);
    expect((await revoke(member, roomId, token)).status).toBe(204);
    expect(await errorOf(await redeem(newcomer, token))).toEqual({
      status: 404,
      code: "invite_not_found",
      message: GONE,
    });
  });

  it("a member cannot revoke another person's link (404, as for a link that is not there)", async () => {
    const [owner, member, other] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    await Promise.all([requestJoin(member, roomId, PASSWORD), requestJoin(other, roomId, PASSWORD)]);
    const ownersToken = await invite(owner, roomId);
    const othersToken = await invite(other, roomId);
    for (const token of [ownersToken, othersToken]) {
      const refused = await revoke(member, roomId, token);
      expect(refused.status).toBe(404);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("invite_not_found");
    }
    // Nothing was revoked: both links still let someone in.
    const [a, b] = await Promise.all([signUp(), signUp()]);
    expect((await redeem(a, ownersToken)).status).toBe(200);
    expect((await redeem(b, othersToken)).status).toBe(200);
  });

  it("an outsider cannot revoke a link of a room they are not in", async () => {
    const [owner, outsider] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, PASSWORD);
    const token = await invite(owner, roomId);
    expect([403, 404]).toContain((await revoke(outsider, roomId, token)).status);
    expect((await redeem(await signUp(), token)).status).toBe(200);
  });
});
