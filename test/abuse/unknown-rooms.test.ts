// Item 5 of issue 15: a visitor who asks for rooms that do not exist must not make the
// server keep anything for them. Each well-formed room id names a Durable Object; asking
// it about a room that is not in Postgres used to create that object's SQLite tables
// (200 GETs → 600 storage files, 18 MB). Now the answer is 404 and the object holds no
// storage and no alarm afterwards.
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, createRoom, joinRoom, roomStub, signUp, upgrade } from "../helpers.ts";

/** A well-formed room id that names no room. */
function randomRoomId(): string {
  return `nx${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`;
}

/** What an object keeps for itself: its own tables, its database's size and its alarm. */
async function storageOf(roomId: string) {
  return await runInDurableObject(roomStub(roomId), async (_instance, state) => ({
    tables: state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'")
      .toArray()
      .map((row) => row.name),
    alarm: await state.storage.getAlarm(),
    size: state.storage.sql.databaseSize,
  }));
}

describe("rooms that do not exist", () => {
  it("50 random ids on the history, room info and socket routes: 404 each, and no storage left behind", async () => {
    const member = await signUp();
    const ids = Array.from({ length: 50 }, randomRoomId);
    const statuses: number[] = [];
    // Ten ids at a time: the embedded Postgres serves one query at a time.
    for (let start = 0; start < ids.length; start += 10) {
      const batch = ids.slice(start, start + 10);
      const answers = await Promise.all(
        batch.flatMap((id, i) => [
          api(`/api/rooms/${id}/messages`).then((r) => r.status),
          api(`/api/rooms/${id}`).then((r) => r.status),
          // Visitors and accounts alike.
          upgrade(id, i % 2 === 0 ? {} : { cookie: member.cookie }).then((r) => r.status),
        ]),
      );
      statuses.push(...answers);
    }
    expect(statuses.filter((status) => status !== 404)).toEqual([]);

    // An object nobody asked about is the baseline: workerd gives every object it starts an
    // empty database (a file on disk locally), whatever the object does; ours must add nothing.
    const left = await Promise.all(ids.map(storageOf));
    expect(left.filter((storage) => storage.tables.length > 0 || storage.alarm !== null)).toEqual([]);
    const blank = await storageOf(randomRoomId());
    expect(left.filter((storage) => storage.size > blank.size)).toEqual([]);
  });

  it("a deleted room leaves nothing behind either", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const client = await joinRoom(roomId, owner);
    client.send({ type: "send", clientId: "c1", body: "soon gone" });
    await client.next("ack");
    expect(
      (await api(`/api/rooms/${roomId}`, { method: "DELETE", cookie: owner.cookie, json: {} })).status,
    ).toBe(204);
    await client.until((c) => c.closed, "the socket to close");
    // Asked again after deletion: still 404, and still nothing stored.
    expect((await api(`/api/rooms/${roomId}/messages`)).status).toBe(404);
    expect((await upgrade(roomId, { cookie: owner.cookie })).status).toBe(404);
    expect(await storageOf(roomId)).toMatchObject({ tables: [], alarm: null });
  });
});
