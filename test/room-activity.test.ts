// Counts that are true and live: the room list's unread badges (a room never opened counts
// everything since the person joined), `room_activity` on the hub within a second of a
// message, a read in one tab clearing the badge in the others, and one definition of online
// (guests count) from the room list, the room itself and the home page's total.
import { describe, expect, it } from "vitest";
import {
  api,
  befriend,
  createPrivateRoom,
  createRoom,
  guestSession,
  type HubClient,
  joinRoom,
  openHub,
  query,
  requestJoin,
  type Session,
  sendAll,
  signUp,
} from "./helpers.ts";

interface ListedRoom {
  id: string;
  unread: number;
  online: number;
}

async function listed(session: Session | null, roomId: string): Promise<ListedRoom | undefined> {
  const response = await api("/api/rooms", session ? { cookie: session.cookie } : {});
  const { rooms } = (await response.json()) as { rooms: ListedRoom[] };
  return rooms.find((room) => room.id === roomId);
}

async function directRoom(from: Session, to: Session): Promise<string> {
  const response = await api(`/api/friends/${to.user.id}/dm`, {
    method: "POST",
    cookie: from.cookie,
    json: {},
  });
  if (response.status !== 200 && response.status !== 201)
    throw new Error(`dm failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/** The first `room_activity` for `roomId` that matches, among those after the first `skip`. */
function activityFor(
  hub: HubClient,
  roomId: string,
  match: (unread: number, online: number) => boolean,
  skip = 0,
) {
  return hub.until(
    (c) =>
      c
        .of("room_activity")
        .slice(skip)
        .find((f) => f.roomId === roomId && match(f.unread, f.online)),
    `room_activity for ${roomId}`,
    5_000,
  );
}

describe("unread badges", () => {
  it("a writer whose account is gone does not hold the room's messages back", async () => {
    const [owner, gone] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(owner);
    const socket = await joinRoom(roomId, gone);
    // The account goes (as an admin would delete it) while its socket is still open.
    await query("delete from users where id = $1", [gone.user.id]);
    await sendAll(socket, ["last words"]);
    await expect
      .poll(
        async () =>
          (
            await query<{ n: number }>("select count(*)::int as n from messages where room_id = $1", [roomId])
          )[0]?.n,
        { timeout: 5_000 },
      )
      .toBe(1);
    socket.close();
  });

  it("a brand-new DM the reader never opened shows every message as unread", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const dm = await directRoom(ann, bob);
    const annSocket = await joinRoom(dm, ann);
    await sendAll(annSocket, ["hi bob", "are you there?", "call me"]);
    await expect.poll(async () => (await listed(bob, dm))?.unread, { timeout: 5_000 }).toBe(3);
    // The writer has read their own messages.
    expect((await listed(ann, dm))?.unread).toBe(0);
    annSocket.close();
  });

  it("someone who joins a private room later counts only what came after they joined", async () => {
    const [owner, late] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, "opensesame-123");
    const ownerSocket = await joinRoom(roomId, owner);
    await sendAll(ownerSocket, ["one", "two", "three", "four"]);
    // The room's latest reaches Postgres with its flush; joining after that starts there.
    await expect.poll(async () => (await listed(owner, roomId))?.id, { timeout: 5_000 }).toBe(roomId);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await requestJoin(late, roomId, "opensesame-123")).status).toBe(200);
    expect((await listed(late, roomId))?.unread).toBe(0);
    await sendAll(ownerSocket, ["five", "six"]);
    await expect.poll(async () => (await listed(late, roomId))?.unread, { timeout: 5_000 }).toBe(2);
    ownerSocket.close();
  });

  it("changes live on the hub within a second of the message, and a read clears it in every tab", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const dm = await directRoom(ann, bob);
    const [bobTab1, bobTab2] = [await openHub(bob), await openHub(bob)];
    const annSocket = await joinRoom(dm, ann);

    const sentAt = Date.now();
    await sendAll(annSocket, ["first"]);
    const first = await activityFor(bobTab1, dm, (unread) => unread === 1);
    expect(Date.now() - sentAt).toBeLessThan(1_500);
    expect(first).toMatchObject({ latestSeq: 1, latestAt: expect.any(String) });
    await activityFor(bobTab2, dm, (unread) => unread === 1);
    await sendAll(annSocket, ["second"]);
    await activityFor(bobTab1, dm, (unread) => unread === 2);

    // Bob reads in a third place (his room socket): both hub tabs clear the badge.
    const bobSocket = await joinRoom(dm, bob);
    bobSocket.send({ type: "read", seq: 2 });
    await activityFor(bobTab1, dm, (unread) => unread === 0);
    await activityFor(bobTab2, dm, (unread) => unread === 0);
    await expect.poll(async () => (await listed(bob, dm))?.unread, { timeout: 5_000 }).toBe(0);
    for (const client of [bobTab1, bobTab2, annSocket, bobSocket]) client.close();
  });

  it("someone who first writes in a public room hears its counts from then on", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ann);
    const bobHub = await openHub(bob);
    const bobSocket = await joinRoom(roomId, bob);
    await sendAll(bobSocket, ["hello, new here"]);
    // Their first receipt made them a member: the room tells their hub, so the list can show it.
    await activityFor(bobHub, roomId, (unread) => unread === 0);
    const annSocket = await joinRoom(roomId, ann);
    bobSocket.close();
    await sendAll(annSocket, ["welcome!"]);
    await activityFor(bobHub, roomId, (unread) => unread === 1);
    for (const client of [bobHub, annSocket]) client.close();
  });

  it("goes only to members: a stranger's hub hears nothing of the room", async () => {
    const [ann, bob, eve] = await Promise.all([signUp(), signUp(), signUp()]);
    await befriend(ann, bob);
    const dm = await directRoom(ann, bob);
    const eveHub = await openHub(eve);
    const bobHub = await openHub(bob);
    const annSocket = await joinRoom(dm, ann);
    await sendAll(annSocket, ["private words"]);
    await activityFor(bobHub, dm, (unread) => unread === 1);
    expect(eveHub.of("room_activity")).toEqual([]);
    for (const client of [eveHub, bobHub, annSocket]) client.close();
  });
});

async function onlineCount(): Promise<number> {
  return ((await (await api("/api/online")).json()) as { count: number }).count;
}

/** The total once hubs closed by earlier tests have gone offline (their grace is 2 s here). */
async function settledOnlineCount(): Promise<number> {
  let count = await onlineCount();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const again = await onlineCount();
    if (again === count) return count;
    count = again;
  }
}

describe("online, one definition", () => {
  it("a guest chatting counts in the home page's total, and leaves it after the grace period", async () => {
    const guest = await guestSession();
    const before = await settledOnlineCount();
    const guestHub = await openHub(guest);
    expect(guestHub.of("ready")[0]).toMatchObject({ friends: [], incoming: [], outgoing: [] });
    await expect.poll(onlineCount, { timeout: 5_000 }).toBe(before + 1);
    guestHub.close();
    // The tests' grace period is a few seconds (PRESENCE_TIMEOUT_MS 3 s).
    await expect.poll(onlineCount, { timeout: 15_000, interval: 500 }).toBe(before);
  });

  it("the lobby's count reaches every hub, members or not, and goes down when the guest leaves", async () => {
    const ann = await signUp();
    const annHub = await openHub(ann);
    const guestSocket = await joinRoom("lobby", await guestSession());
    const here = guestSocket.of("ready")[0]?.online?.length ?? 0;
    expect(here).toBeGreaterThanOrEqual(1);
    await annHub.until(
      (c) => c.of("online_total").find((f) => f.rooms.lobby === here),
      "the lobby's count",
      5_000,
    );
    const heard = annHub.of("online_total").length;
    guestSocket.close();
    await annHub.until(
      (c) =>
        c
          .of("online_total")
          .slice(heard)
          .find((f) => f.rooms.lobby === here - 1),
      "the lobby's count after the guest left",
      10_000,
    );
    annHub.close();
  });

  it("a member's list shows who is in the room live, the same count the room shows, down after they leave", async () => {
    const [owner, member] = await Promise.all([signUp(), signUp()]);
    const roomId = await createPrivateRoom(owner, "opensesame-456");
    expect((await requestJoin(member, roomId, "opensesame-456")).status).toBe(200);
    const memberHub = await openHub(member);
    const ownerSocket = await joinRoom(roomId, owner);
    await activityFor(memberHub, roomId, (_unread, online) => online === 1);
    const memberSocket = await joinRoom(roomId, member);
    await activityFor(memberHub, roomId, (_unread, online) => online === 2);
    const roomSays = memberSocket.of("ready")[0]?.online?.length;
    expect(roomSays).toBe(2);
    // The list's row is written with the room's next flush, a second at most behind the push.
    await expect.poll(async () => (await listed(member, roomId))?.online, { timeout: 3_000 }).toBe(2);
    const heard = memberHub.of("room_activity").length;
    ownerSocket.close();
    await activityFor(memberHub, roomId, (_unread, online) => online === 1, heard);
    await expect.poll(async () => (await listed(member, roomId))?.online, { timeout: 3_000 }).toBe(1);
    for (const client of [memberHub, memberSocket]) client.close();
  });
});
