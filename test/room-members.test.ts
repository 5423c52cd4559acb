// The members panel's list: every member of a private room or a direct conversation, with
// whether each is online and, if not, when they were last seen; for members only.
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  createPrivateRoom,
  createRoom,
  eventually,
  openHub,
  query,
  requestJoin,
  type Session,
  signUp,
} from "./helpers.ts";

interface Member {
  id: string;
  username: string;
  role: string;
  online: boolean;
  lastSeenAt: string | null;
}

async function members(session: Session, roomId: string): Promise<Member[]> {
  const response = await api(`/api/rooms/${roomId}/members`, { cookie: session.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { members: Member[] }).members;
}

describe("GET /api/rooms/:id/members", () => {
  it("lists a private room's members with online and last seen", async () => {
    const [owner, member, away] = await Promise.all([signUp(), signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, "open sesame");
    await Promise.all([requestJoin(member, roomId, "open sesame"), requestJoin(away, roomId, "open sesame")]);
    const seen = new Date(Date.now() - 3 * 60 * 60 * 1000);
    await query("update users set last_seen_at = $1 where id = $2", [seen.toISOString(), away.user.id]);
    const hub = await openHub(member);

    const list = await eventually(
      () => members(owner, roomId),
      (found) => found.some((m) => m.id === member.user.id && m.online),
    );
    const byId = new Map(list.map((m) => [m.id, m]));
    expect(list).toHaveLength(3);
    expect(byId.get(member.user.id)).toMatchObject({ online: true, lastSeenAt: null });
    expect(byId.get(away.user.id)).toMatchObject({ online: false, lastSeenAt: seen.toISOString() });
    expect(byId.get(owner.user.id)).toMatchObject({ role: "owner" });
    hub.close();
  });

  it("lists a direct conversation's two people, to them only", async () => {
    const [ann, ben, stranger] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, ben);
    const dm = await api(`/api/friends/${ben.user.id}/dm`, { method: "POST", cookie: ann.cookie, json: {} });
    const roomId = ((await dm.json()) as { room: { id: string } }).room.id;
    const list = await members(ann, roomId);
    expect(list.map((m) => m.id).sort()).toEqual([ann.user.id, ben.user.id].sort());
    // A stranger learns nothing: the room does not exist for them.
    expect((await api(`/api/rooms/${roomId}/members`, { cookie: stranger.cookie })).status).toBe(404);
  });

  it("has no list for public rooms (who is there now comes from the room's presence)", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    expect((await api(`/api/rooms/${roomId}/members`, { cookie: owner.cookie })).status).toBe(400);
  });
});
