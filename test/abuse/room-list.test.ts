// The room list is one query, not one call per room: public rooms come a page at a time
// (most recently active first, with a cursor and a name filter), the person's own rooms and
// the lobby always come with the first page, and each room's counts are what the room
// pushed (at most a couple of seconds old).
import { describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
  createRoom,
  eventually,
  joinRoom,
  query,
  signUp,
  uniqueName,
} from "../helpers.ts";

interface ListedRoom {
  id: string;
  name: string;
  visibility: string;
  online: number;
  unread: number;
}

interface RoomPage {
  rooms: ListedRoom[];
  nextCursor: string | null;
}

async function list(cookie: string | undefined, params = ""): Promise<RoomPage> {
  const response = await api(`/api/rooms${params}`, cookie ? { cookie } : {});
  expect(response.status).toBe(200);
  return (await response.json()) as RoomPage;
}

describe("the room list", () => {
  it("pages public rooms with a cursor, most recently active first, and always has the person's own rooms", async () => {
    const ana = await signUp();
    const tag = uniqueName("paged").slice(0, 20);
    // 120 public rooms, seeded straight into Postgres, with distinct times of last activity.
    for (let i = 0; i < 120; i++) {
      const id = `${tag.replaceAll("_", "")}${String(i).padStart(3, "0")}`.slice(0, 40);
      await query(
        "insert into rooms (id, name, visibility, created_at) values ($1, $2, 'public', now() - ($3 || ' minutes')::interval)",
        [id, `${tag} ${i}`, String(i + 10)],
      );
    }
    const mine = await createPrivateRoom(ana, "room secret 1");
    const first = await list(ana.cookie, `?q=${encodeURIComponent(tag)}`);
    const ids = first.rooms.map((r) => r.id);
    // Own rooms and the lobby come first, whatever the filter.
    expect(ids).toContain(mine);
    expect(ids).toContain("lobby");
    const publicPage = first.rooms.filter((r) => r.name.startsWith(tag));
    expect(publicPage.length).toBe(50);
    expect(first.nextCursor).toEqual(expect.any(String));
    // Most recently active first: room 0 was made last.
    expect(publicPage[0]?.name).toBe(`${tag} 0`);
    const seen = new Set(publicPage.map((r) => r.id));
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await list(
        ana.cookie,
        `?q=${encodeURIComponent(tag)}&cursor=${encodeURIComponent(cursor)}`,
      );
      // Later pages are public rooms only.
      expect(next.rooms.every((r) => r.visibility === "public")).toBe(true);
      for (const r of next.rooms) {
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
      }
      cursor = next.nextCursor;
    }
    expect(seen.size).toBe(120);
  });

  it("refuses a malformed cursor or filter with 400", async () => {
    expect((await api("/api/rooms?cursor=not-a-cursor")).status).toBe(400);
    expect((await api(`/api/rooms?q=${"x".repeat(200)}`)).status).toBe(400);
    expect((await api("/api/rooms?limit=0")).status).toBe(400);
  });

  it("shows who is in a room and what is unread within 2 seconds, without asking each room", async () => {
    const ana = await signUp();
    const ben = await signUp();
    const roomId = await createRoom(ana, uniqueName("busy"));
    const find = (page: RoomPage) => page.rooms.find((r) => r.id === roomId);
    const byName = async () => list(ben.cookie);

    const anaSocket = await joinRoom(roomId, ana);
    const benSocket = await joinRoom(roomId, ben);
    anaSocket.send({ type: "send", clientId: "one", body: "first" });
    const first = await benSocket.next("message");
    benSocket.send({ type: "read", seq: first.seq });
    // Both are here; ben read the first message.
    const here = await eventually(byName, (p) => find(p)?.online === 2);
    expect(find(here)?.online).toBe(2);

    for (const id of ["two", "three"]) anaSocket.send({ type: "send", clientId: id, body: id });
    const unread = await eventually(byName, (p) => find(p)?.unread === 2);
    expect(find(unread)?.unread).toBe(2);

    anaSocket.close();
    benSocket.close();
    const gone = await eventually(byName, (p) => find(p)?.online === 0, 6_000);
    expect(find(gone)?.online).toBe(0);
  });
});
