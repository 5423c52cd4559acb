// Friend requests and friendships over HTTP, with what each side's hub socket hears live,
// and the direct room of two friends.
import { describe, expect, it } from "vitest";
import type { FriendList } from "../worker/protocol/hub-protocol.ts";
import {
  api,
  befriend,
  createPrivateRoom,
  guestSession,
  joinRoom,
  openHub,
  query,
  type Session,
  sendAll,
  signUp,
} from "./helpers.ts";

function requestFriend(from: Session, username: string): Promise<Response> {
  return api("/api/friends/requests", { method: "POST", cookie: from.cookie, json: { username } });
}

async function friendList(session: Session): Promise<FriendList> {
  const response = await api("/api/friends", { cookie: session.cookie });
  expect(response.status).toBe(200);
  return (await response.json()) as FriendList;
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error };
}

describe("friend requests", () => {
  it("arrive live, and accepting makes both friends on both hubs", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    const [annHub, bobHub] = await Promise.all([openHub(ann), openHub(bob)]);

    // Usernames are folded: any case finds the account.
    const asked = await requestFriend(ann, bob.user.name.toUpperCase());
    expect(asked.status).toBe(201);
    const { request } = (await asked.json()) as { request: { id: string; to: { id: string } } };
    expect(request.to.id).toBe(bob.user.id);

    const incoming = await bobHub.next("friend_request");
    expect(incoming).toMatchObject({ id: request.id, from: { id: ann.user.id, username: ann.user.name } });
    expect((await annHub.next("friend_request_sent")).id).toBe(request.id);
    expect((await friendList(bob)).incoming).toEqual([
      { id: request.id, from: expect.objectContaining({ id: ann.user.id, username: ann.user.name }) },
    ]);
    expect((await friendList(ann)).outgoing.map((r) => r.id)).toEqual([request.id]);

    const accepted = await api(`/api/friends/requests/${request.id}/accept`, {
      method: "POST",
      cookie: bob.cookie,
      json: {},
    });
    expect(accepted.status).toBe(200);

    // Each hears about the other, who is online right now (both hubs are open).
    const annSees = await annHub.next("friend_accepted");
    expect(annSees.user).toMatchObject({ id: bob.user.id, username: bob.user.name, online: true });
    const bobSees = await bobHub.next("friend_accepted");
    expect(bobSees.user).toMatchObject({ id: ann.user.id, online: true, lastSeenAt: null });
    expect(bobSees.user.lastLoginAt).not.toBeNull();

    const annList = await friendList(ann);
    expect(annList.friends.map((f) => f.id)).toEqual([bob.user.id]);
    expect(annList.outgoing).toEqual([]);
    expect((await friendList(bob)).incoming).toEqual([]);
    annHub.close();
    bobHub.close();
  });

  it("refuses requests to oneself, unknown users, friends and pending pairs with clear errors", async () => {
    const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
    expect(await errorOf(await requestFriend(ann, ann.user.name))).toMatchObject({
      status: 400,
      code: "cannot_befriend_self",
    });
    expect(await errorOf(await requestFriend(ann, "nobody_by_this_name"))).toMatchObject({
      status: 404,
      code: "user_not_found",
    });
    expect(await errorOf(await requestFriend(ann, "no spaces!"))).toMatchObject({
      status: 400,
      code: "invalid_input",
    });
    await befriend(ann, bob);
    expect(await errorOf(await requestFriend(ann, bob.user.name))).toMatchObject({
      status: 409,
      code: "already_friends",
    });
    expect(await errorOf(await requestFriend(bob, ann.user.name))).toMatchObject({
      status: 409,
      code: "already_friends",
    });
    expect((await requestFriend(ann, cat.user.name)).status).toBe(201);
    expect(await errorOf(await requestFriend(ann, cat.user.name))).toMatchObject({
      status: 409,
      code: "request_pending",
    });
    const rows = await query(
      "select count(*)::int as n from friendships where requester_id = $1 or addressee_id = $1",
      [ann.user.id],
    );
    expect(rows[0]?.n).toBe(2);
  });

  it("asking someone who already asked you makes you friends at once", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    const bobHub = await openHub(bob);
    expect((await requestFriend(ann, bob.user.name)).status).toBe(201);
    const back = await requestFriend(bob, ann.user.name);
    expect(back.status).toBe(200);
    expect(((await back.json()) as { friend: { id: string } }).friend.id).toBe(ann.user.id);
    expect((await bobHub.next("friend_accepted")).user.id).toBe(ann.user.id);
    expect((await friendList(ann)).friends.map((f) => f.id)).toEqual([bob.user.id]);
    bobHub.close();
  });

  it("only the one asked can accept or decline; declining tells both and lets them ask again", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    const annHub = await openHub(ann);
    const { request } = (await (await requestFriend(ann, bob.user.name)).json()) as {
      request: { id: string };
    };

    for (const intruder of [ann, eve]) {
      const accept = await api(`/api/friends/requests/${request.id}/accept`, {
        method: "POST",
        cookie: intruder.cookie,
        json: {},
      });
      expect(await errorOf(accept)).toMatchObject({ status: 404, code: "request_not_found" });
    }
    const bogus = await api("/api/friends/requests/not-a-uuid/accept", {
      method: "POST",
      cookie: bob.cookie,
      json: {},
    });
    expect(bogus.status).toBe(404);

    const declined = await api(`/api/friends/requests/${request.id}/decline`, {
      method: "POST",
      cookie: bob.cookie,
      json: {},
    });
    expect(declined.status).toBe(204);
    expect((await annHub.next("friend_request_removed")).id).toBe(request.id);
    expect(await friendList(ann)).toMatchObject({ friends: [], outgoing: [] });
    // Declined is not a block: asking again works.
    expect((await requestFriend(ann, bob.user.name)).status).toBe(201);
    annHub.close();
  });

  it("the one asking can cancel", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    const bobHub = await openHub(bob);
    const { request } = (await (await requestFriend(ann, bob.user.name)).json()) as {
      request: { id: string };
    };
    await bobHub.next("friend_request");
    expect(
      (await api(`/api/friends/requests/${request.id}`, { method: "DELETE", cookie: bob.cookie, json: {} }))
        .status,
    ).toBe(404);
    expect(
      (await api(`/api/friends/requests/${request.id}`, { method: "DELETE", cookie: ann.cookie, json: {} }))
        .status,
    ).toBe(204);
    expect((await bobHub.next("friend_request_removed")).id).toBe(request.id);
    expect((await friendList(bob)).incoming).toEqual([]);
    bobHub.close();
  });

  it("removing a friend tells both hubs; removing a stranger is a 404", async () => {
    const [ann, bob, cat] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    expect(bobHub.of("ready")[0]?.friends.map((f) => f.id)).toEqual([ann.user.id]);
    expect(
      (await api(`/api/friends/${bob.user.id}`, { method: "DELETE", cookie: ann.cookie, json: {} })).status,
    ).toBe(204);
    expect((await bobHub.next("friend_removed")).userId).toBe(ann.user.id);
    expect((await friendList(bob)).friends).toEqual([]);
    const stranger = await api(`/api/friends/${cat.user.id}`, {
      method: "DELETE",
      cookie: ann.cookie,
      json: {},
    });
    expect(await errorOf(stranger)).toMatchObject({ status: 404, code: "not_friends" });
    bobHub.close();
  });

  it("is for accounts: visitors get 401 and guests 403", async () => {
    const guest = await guestSession();
    expect((await api("/api/friends")).status).toBe(401);
    expect((await api("/api/friends", { cookie: guest.cookie })).status).toBe(403);
    const asGuest = await api("/api/friends/requests", {
      method: "POST",
      cookie: guest.cookie,
      json: { username: "someone" },
    });
    expect(asGuest.status).toBe(403);
  });
});

describe("direct messages", () => {
  async function openDirect(from: Session, to: Session): Promise<Response> {
    return api(`/api/friends/${to.user.id}/dm`, { method: "POST", cookie: from.cookie, json: {} });
  }

  it("are one room per pair of friends, reused from either side, named after the other person", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, bob);
    const first = await openDirect(ann, bob);
    expect(first.status).toBe(200);
    const { room } = (await first.json()) as { room: { id: string; name: string; visibility: string } };
    expect(room).toMatchObject({ name: bob.user.name, visibility: "direct" });
    const again = (await (await openDirect(bob, ann)).json()) as { room: { id: string; name: string } };
    expect(again.room).toMatchObject({ id: room.id, name: ann.user.name });
    const rows = await query("select count(*)::int as n from rooms where id = $1", [room.id]);
    expect(rows[0]?.n).toBe(1);

    // Same receipts, history and sockets as any room.
    const annSocket = await joinRoom(room.id, ann);
    const bobSocket = await joinRoom(room.id, bob);
    await sendAll(annSocket, ["hi bob"]);
    expect((await bobSocket.next("message")).body).toBe("hi bob");
    bobSocket.send({ type: "read", seq: 1 });
    expect(await annSocket.next("receipt")).toMatchObject({ userId: bob.user.id, read: 1 });
    const history = await api(`/api/rooms/${room.id}/messages`, { cookie: bob.cookie });
    expect(((await history.json()) as { messages: { body: string }[] }).messages.map((m) => m.body)).toEqual([
      "hi bob",
    ]);

    // Listed for both, under the other's name; to anyone else it does not exist.
    const listed = (await (await api("/api/rooms", { cookie: bob.cookie })).json()) as {
      rooms: { id: string; name: string }[];
    };
    expect(listed.rooms.find((r) => r.id === room.id)?.name).toBe(ann.user.name);
    expect((await api(`/api/rooms/${room.id}/messages`, { cookie: eve.cookie })).status).toBe(404);
    expect((await api(`/api/rooms/${room.id}`, { cookie: eve.cookie })).status).toBe(404);
    const eveJoin = await api(`/api/rooms/${room.id}/join`, { method: "POST", cookie: eve.cookie, json: {} });
    expect(eveJoin.status).toBe(404);
    expect((await api(`/api/rooms/${room.id}/messages`)).status).toBe(404);
    const link = await api(`/api/rooms/${room.id}/invites`, { method: "POST", cookie: ann.cookie, json: {} });
    expect(link.status).toBe(400);
    annSocket.close();
    bobSocket.close();
  });

  it("need a friendship", async () => {
    const [ann, eve] = await Promise.all([signUp(), signUp()]);
    expect(await errorOf(await openDirect(ann, eve))).toMatchObject({ status: 403, code: "not_friends" });
  });
});

describe("inviting friends to a room", () => {
  it("sends a live invitation that joins a private room with one click, and is kept until used", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const roomId = await createPrivateRoom(ann, "letmein");
    const bobHub = await openHub(bob);

    const invited = await api(`/api/rooms/${roomId}/invitations`, {
      method: "POST",
      cookie: ann.cookie,
      json: { userId: bob.user.id },
    });
    expect(invited.status).toBe(201);
    const invitation = await bobHub.next("room_invite");
    expect(invitation).toMatchObject({
      room: { id: roomId, visibility: "private" },
      from: { id: ann.user.id },
    });

    // Offline when it came? It waits on the next connection.
    const laterHub = await openHub(bob);
    expect(laterHub.of("ready")[0]?.roomInvites.map((i) => i.token)).toEqual([invitation.token]);

    const redeemed = await api(`/api/invites/${invitation.token}`, {
      method: "POST",
      cookie: bob.cookie,
      json: {},
    });
    expect(redeemed.status).toBe(200);
    expect((await bobHub.next("room_invite_removed")).token).toBe(invitation.token);
    const bobSocket = await joinRoom(roomId, bob);
    expect(bobSocket.of("ready")[0]?.room.canWrite).toBe(true);

    const third = await openHub(bob);
    expect(third.of("ready")[0]?.roomInvites).toEqual([]);
    for (const c of [bobHub, laterHub, third, bobSocket]) c.close();
  });

  it("can be dismissed from the hub socket", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const roomId = await createPrivateRoom(ann, "letmein");
    const bobHub = await openHub(bob);
    await api(`/api/rooms/${roomId}/invitations`, {
      method: "POST",
      cookie: ann.cookie,
      json: { userId: bob.user.id },
    });
    const { token } = await bobHub.next("room_invite");
    bobHub.send({ type: "dismiss_invite", token });
    expect((await bobHub.next("room_invite_removed")).token).toBe(token);
    const again = await openHub(bob);
    expect(again.of("ready")[0]?.roomInvites).toEqual([]);
    bobHub.close();
    again.close();
  });

  it("is for friends, by members, to people not already in the room", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, bob);
    await befriend(eve, bob);
    const roomId = await createPrivateRoom(ann, "letmein");
    const invite = (from: Session, userId: string) =>
      api(`/api/rooms/${roomId}/invitations`, { method: "POST", cookie: from.cookie, json: { userId } });

    expect(await errorOf(await invite(ann, eve.user.id))).toMatchObject({ status: 403, code: "not_friends" });
    // Eve is Bob's friend but not in the room: she cannot bring him in.
    expect(await errorOf(await invite(eve, bob.user.id))).toMatchObject({ status: 403, code: "forbidden" });
    expect((await invite(ann, bob.user.id)).status).toBe(201);
    expect(
      (
        await api(`/api/rooms/${roomId}/join`, {
          method: "POST",
          cookie: bob.cookie,
          json: { password: "letmein" },
        })
      ).status,
    ).toBe(200);
    expect(await errorOf(await invite(ann, bob.user.id))).toMatchObject({
      status: 409,
      code: "already_member",
    });
    expect(await errorOf(await invite(ann, "not-a-uuid"))).toMatchObject({
      status: 400,
      code: "invalid_input",
    });
  });
});
