// Who talks to whom stays private: an outsider (a visitor, a guest, another account) cannot
// tell whether two people have a direct conversation, neither by working out its id nor by
// how any room route or the room socket answers for it.
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  guestSession,
  joinRoom,
  ORIGIN,
  query,
  type Session,
  signUp,
  upgrade,
} from "../helpers.ts";

async function openDirect(from: Session, to: Session): Promise<Response> {
  return api(`/api/friends/${to.user.id}/dm`, { method: "POST", cookie: from.cookie, json: {} });
}

async function directRoomOf(from: Session, to: Session): Promise<string> {
  const response = await openDirect(from, to);
  if (response.status !== 200) throw new Error(`dm failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/** The id the first version of Chattr gave the pair's room: SHA-256 of the sorted ids, no secret. */
async function hashOfPair(a: string, b: string): Promise<string> {
  const [first, second] = [a, b].sort();
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${first}:${second}`));
  const hex = Array.from(new Uint8Array(digest), (x) => x.toString(16).padStart(2, "0")).join("");
  return `dm-${hex.slice(0, 32)}`;
}

function randomDirectId(): string {
  const hex = Array.from(crypto.getRandomValues(new Uint8Array(16)), (x) => x.toString(16).padStart(2, "0"));
  return `dm-${hex.join("")}`;
}

/** Everything an outsider can observe of an answer: status, headers (but the clock) and body. */
async function observed(response: Response) {
  const headers = [...response.headers].filter(([name]) => name !== "date").sort();
  return { status: response.status, headers, body: await response.text() };
}

type Probe = (roomId: string, cookie: string | undefined) => Promise<Response>;

function probes(ann: Session): Record<string, Probe> {
  const call = (method: string, path: string, json?: unknown): Probe => {
    return (roomId, cookie) =>
      api(path.replace(":id", roomId), {
        method,
        ...(cookie ? { cookie } : {}),
        ...(json === undefined ? {} : { json }),
      });
  };
  return {
    "GET /:id": call("GET", "/api/rooms/:id"),
    "GET /:id/messages": call("GET", "/api/rooms/:id/messages"),
    "GET /:id/messages?before": call("GET", "/api/rooms/:id/messages?before=5&limit=2"),
    "POST /:id/join": call("POST", "/api/rooms/:id/join", {}),
    "POST /:id/join with a password": call("POST", "/api/rooms/:id/join", { password: "guess" }),
    "GET /:id/members": call("GET", "/api/rooms/:id/members"),
    "GET /:id/invites": call("GET", "/api/rooms/:id/invites"),
    "POST /:id/invites": call("POST", "/api/rooms/:id/invites", {}),
    "POST /:id/invitations": call("POST", "/api/rooms/:id/invitations", { userId: ann.user.id }),
    "DELETE /:id/invites/:token": call("DELETE", "/api/rooms/:id/invites/some-token", {}),
    "PATCH /:id": call("PATCH", "/api/rooms/:id", { name: "mine now" }),
    "DELETE /:id": call("DELETE", "/api/rooms/:id", {}),
    "DELETE /:id/members/:userId": call("DELETE", `/api/rooms/:id/members/${ann.user.id}`, {}),
    "DELETE /:id/membership": call("DELETE", "/api/rooms/:id/membership", {}),
    "GET /:id/ws": (roomId, cookie) => upgrade(roomId, cookie ? { cookie } : {}),
  };
}

describe("who talks to whom stays private", () => {
  it("a direct room's id cannot be worked out from the two people's ids", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const id = await directRoomOf(ann, bob);
    expect(id).not.toBe(await hashOfPair(ann.user.id, bob.user.id));
    expect(id).toMatch(/^dm-[0-9a-f]{32}$/);
    // A visitor trying the derivable id learns nothing.
    expect((await api(`/api/rooms/${await hashOfPair(ann.user.id, bob.user.id)}`)).status).toBe(404);
  });

  it("answers a non-member of a direct room exactly as for a room that does not exist, on every route", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, bob);
    // Eve is Ann's friend too: she knows Ann, and still must not learn whom Ann talks to.
    await befriend(eve, ann);
    const real = await directRoomOf(ann, bob);
    const guest = await guestSession();
    const viewers: [string, string | undefined][] = [
      ["a visitor", undefined],
      ["a guest", guest.cookie],
      ["another account", eve.cookie],
    ];
    const differences: string[] = [];
    for (const [who, cookie] of viewers) {
      for (const [route, probe] of Object.entries(probes(ann))) {
        const fake = randomDirectId();
        const forReal = await observed(await probe(real, cookie));
        const forNothing = await observed(await probe(fake, cookie));
        // A route may echo the id it was given; the real id stands where the fake one was.
        forNothing.body = forNothing.body.replaceAll(fake, real);
        if (JSON.stringify(forReal) !== JSON.stringify(forNothing)) {
          differences.push(`${who}, ${route}: ${JSON.stringify(forReal)} vs ${JSON.stringify(forNothing)}`);
        }
      }
    }
    expect(differences).toEqual([]);
    // And the two of them still reach it.
    expect((await api(`/api/rooms/${real}`, { cookie: bob.cookie })).status).toBe(200);
    expect((await api(`/api/rooms/${real}/messages`, { cookie: ann.cookie })).status).toBe(200);
  });

  it("'Message' clicked at once by both friends, many times, opens one room for the pair", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const ids = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? directRoomOf(ann, bob) : directRoomOf(bob, ann))),
    );
    expect(new Set(ids).size).toBe(1);
    const [id] = ids as [string];
    const rows = await query<{ n: number }>(
      `select count(*)::int as n from rooms r join room_members m on m.room_id = r.id
       where r.visibility = 'direct' and m.user_id = $1`,
      [ann.user.id],
    );
    expect(rows[0]?.n).toBe(1);
    const annSocket = await joinRoom(id, ann);
    const bobSocket = await joinRoom(id, bob);
    expect(annSocket.of("ready")[0]?.room.canWrite).toBe(true);
    expect(bobSocket.of("ready")[0]?.room.canWrite).toBe(true);
    annSocket.close();
    bobSocket.close();
  });

  it("a direct room made before ids were random is still the pair's room", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    // The room as the first version made it (the migration records such rooms with their pair).
    const legacy = await hashOfPair(ann.user.id, bob.user.id);
    await query("insert into rooms (id, name, visibility) values ($1, 'a & b', 'direct')", [legacy]);
    await query("insert into room_members (room_id, user_id) values ($1, $2), ($1, $3)", [
      legacy,
      ann.user.id,
      bob.user.id,
    ]);
    await query(
      "insert into direct_rooms (room_id, user_low, user_high) values ($1, least($2::uuid, $3::uuid), greatest($2::uuid, $3::uuid))",
      [legacy, ann.user.id, bob.user.id],
    );
    expect(await directRoomOf(bob, ann)).toBe(legacy);
    expect(
      (await api(`/api/rooms/${legacy}`, { cookie: ann.cookie, headers: { Origin: ORIGIN } })).status,
    ).toBe(200);
  });
});
