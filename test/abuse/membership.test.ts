// Leaving a room (`DELETE /api/rooms/:id/membership`): a member leaves public and private
// rooms they joined and loses what membership gave them (a private room's history, its
// socket, their invite links, its place in their list). What cannot be left is refused
// with a reason: the lobby and #general (everyone's), a direct conversation, a private room
// by its owner (it would have no one to run it). Nobody learns of a direct room by trying.
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  createPrivateRoom,
  createRoom,
  guestSession,
  joinRoom,
  requestJoin,
  type Session,
  signUp,
} from "../helpers.ts";

function leave(roomId: string, cookie?: string): Promise<Response> {
  return api(`/api/rooms/${roomId}/membership`, {
    method: "DELETE",
    json: {},
    ...(cookie ? { cookie } : {}),
  });
}

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, code: body.error.code, message: body.error.message };
}

async function listed(session: Session): Promise<{ id: string; member?: boolean; owner?: boolean }[]> {
  const response = await api("/api/rooms", { cookie: session.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { rooms: { id: string; member?: boolean; owner?: boolean }[] }).rooms;
}

describe("leaving a room", () => {
  it("a member leaves a private room: no more history, socket closed 4003, their invite links dead", async () => {
    const [owner, bea] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, "garden gate 9");
    expect((await requestJoin(bea, roomId, "garden gate 9")).status).toBe(200);
    const invite = await api(`/api/rooms/${roomId}/invites`, {
      method: "POST",
      cookie: bea.cookie,
      json: {},
    });
    expect(invite.status).toBe(201);
    const { token } = (await invite.json()) as { token: string };
    const socket = await joinRoom(roomId, bea);

    expect((await leave(roomId, bea.cookie)).status).toBe(204);

    await socket.until((c) => c.closed, "the socket to close");
    expect(socket.closed?.code).toBe(4003);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: bea.cookie })).status).toBe(403);
    expect((await listed(bea)).some((room) => room.id === roomId)).toBe(false);
    // Her own link does not bring her (or anyone) back.
    expect((await api(`/api/invites/${token}`)).status).toBe(404);
    // Leaving twice: she is not a member any more.
    expect(await errorOf(await leave(roomId, bea.cookie))).toMatchObject({ status: 404, code: "not_member" });
    // The owner keeps the room.
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: owner.cookie })).status).toBe(200);
  });

  it("a member leaves a public room they joined: it is no longer one of theirs in the list", async () => {
    const [owner, bea] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(owner);
    expect((await requestJoin(bea, roomId)).status).toBe(200);
    expect((await listed(bea)).find((room) => room.id === roomId)?.member).toBe(true);

    expect((await leave(roomId, bea.cookie)).status).toBe(204);

    const after = (await listed(bea)).find((room) => room.id === roomId);
    // Still a public room anyone may read and join again, but not hers.
    expect(after?.member ?? false).toBe(false);
    expect((await requestJoin(bea, roomId)).status).toBe(200);
    expect((await listed(bea)).find((room) => room.id === roomId)?.member).toBe(true);
  });

  it("refuses the owner of a private room with 409 and a reason, and keeps them in it", async () => {
    const owner = await signUp();
    const roomId = await createPrivateRoom(owner, "garden gate 9");
    // The list says whose it is, so the app need not offer what would be refused.
    expect((await listed(owner)).find((room) => room.id === roomId)?.owner).toBe(true);
    const refused = await errorOf(await leave(roomId, owner.cookie));
    expect(refused).toMatchObject({ status: 409, code: "owner_cannot_leave" });
    expect(refused.message).toMatch(/delete/i);
    expect((await api(`/api/rooms/${roomId}/messages`, { cookie: owner.cookie })).status).toBe(200);
  });

  it("refuses to leave the lobby, #general and a direct conversation, saying why", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    for (const pinned of ["lobby", "general"]) {
      expect(await errorOf(await leave(pinned, ann.cookie))).toMatchObject({
        status: 400,
        code: "cannot_leave",
      });
    }
    await befriend(ann, bob);
    const dm = await api(`/api/friends/${bob.user.id}/dm`, { method: "POST", cookie: ann.cookie, json: {} });
    const { room } = (await dm.json()) as { room: { id: string } };
    expect(await errorOf(await leave(room.id, ann.cookie))).toMatchObject({
      status: 400,
      code: "cannot_leave",
    });
    expect((await api(`/api/rooms/${room.id}/messages`, { cookie: ann.cookie })).status).toBe(200);
  });

  it("answers visitors 401, guests 403 and strangers to a direct room as for no room at all", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createRoom(ann);
    expect(await errorOf(await leave(roomId))).toMatchObject({ status: 401 });
    const guest = await guestSession();
    expect(await errorOf(await leave(roomId, guest.cookie))).toMatchObject({
      status: 403,
      code: "account_required",
    });
    await befriend(ann, bob);
    const dm = await api(`/api/friends/${bob.user.id}/dm`, { method: "POST", cookie: ann.cookie, json: {} });
    const { room } = (await dm.json()) as { room: { id: string } };
    const forReal = await errorOf(await leave(room.id, eve.cookie));
    const forNothing = await errorOf(await leave("dm-0123456789abcdef0123456789abcdef", eve.cookie));
    expect(forReal).toEqual(forNothing);
    expect(forReal).toMatchObject({ status: 404, code: "room_not_found" });
  });

  it("a cross-site page cannot make someone leave", async () => {
    const [owner, bea] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(owner);
    expect((await requestJoin(bea, roomId)).status).toBe(200);
    const forged = await api(`/api/rooms/${roomId}/membership`, {
      method: "DELETE",
      cookie: bea.cookie,
      json: {},
      headers: { Origin: "https://evil.example" },
    });
    expect(forged.status).toBe(403);
    expect((await listed(bea)).find((room) => room.id === roomId)?.member).toBe(true);
  });
});
