// Messages reach Postgres from the room's alarm, exactly once, even when Postgres is
// down for a while; history merges Postgres with what the room has not flushed yet.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import type { ChatMessage } from "../worker/protocol/room-protocol.ts";
import type { ChatRoom } from "../worker/room/chat-room.ts";
import { RoomLog } from "../worker/room/room-log.ts";
import {
  api,
  createRoom,
  insertArchivedMessages,
  joinRoom,
  query,
  roomStub,
  type Session,
  sendAll,
  setDatabaseOutage as setOutage,
  signUp,
  unflushedIn,
  uniqueName,
} from "./helpers.ts";

interface Row extends Record<string, unknown> {
  seq: string;
  body: string;
  author_id: string;
  author_name: string;
  client_id: string;
}

const rowsOf = (roomId: string) =>
  query<Row>(
    "select seq, body, author_id, author_name, client_id from messages where room_id = $1 order by seq",
    [roomId],
  );

async function history(roomId: string, session: Session, params = ""): Promise<ChatMessage[]> {
  const response = await api(`/api/rooms/${roomId}/messages${params}`, { cookie: session.cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: ChatMessage[] }).messages;
}

afterEach(async () => {
  await setOutage(false);
});

describe("flushing to Postgres", () => {
  it("writes acked messages with their seq, author and body when the alarm runs", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    await sendAll(a, ["one", "two", "three"]);
    await runDurableObjectAlarm(roomStub(roomId));
    expect(await rowsOf(roomId)).toEqual(
      ["one", "two", "three"].map((body, i) => ({
        seq: String(i + 1),
        body,
        author_id: ana.user.id,
        author_name: ana.user.name,
        client_id: `c${i}`,
      })),
    );
  });

  it("opens a log written when each row carried its own flushed flag, and flushes only what was not", async () => {
    const unflushedSeqs = await runInDurableObject(
      roomStub(crypto.randomUUID()),
      (_room: ChatRoom, state) => {
        // The log as that older code wrote it: a flag on every row, no flushed mark.
        state.storage.sql.exec(`
          CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
          CREATE TABLE messages (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL, author_id TEXT NOT NULL,
            author_name TEXT NOT NULL, author_guest INTEGER NOT NULL, body TEXT NOT NULL,
            client_id TEXT NOT NULL, created_at INTEGER NOT NULL,
            flushed INTEGER NOT NULL DEFAULT 0, UNIQUE (author_id, client_id)
          );`);
        for (let seq = 1; seq <= 5; seq++)
          state.storage.sql.exec(
            `INSERT INTO messages (seq, id, author_id, author_name, author_guest, body, client_id, created_at, flushed)
             VALUES (?, ?, 'u', 'ana', 0, ?, ?, 0, ?)`,
            seq,
            crypto.randomUUID(),
            `old ${seq}`,
            `c${seq}`,
            seq <= 3 ? 1 : 0,
          );
        return new RoomLog(state.storage.sql).unflushed(100).map((message) => message.seq);
      },
    );
    expect(unflushedSeqs).toEqual([4, 5]);
  });

  it("is idempotent: re-flushing a batch that already reached Postgres writes nothing twice", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    await sendAll(a, ["x", "y"]);
    await runDurableObjectAlarm(roomStub(roomId));
    // As if the object crashed after the INSERT but before recording the rows as flushed.
    await runInDurableObject(roomStub(roomId), async (_room: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE meta SET value = '0' WHERE key = 'flushed_seq'");
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    await evictDurableObject(roomStub(roomId)); // the new instance reads the mark from storage
    expect(await runInDurableObject(roomStub(roomId), (_room: ChatRoom, state) => unflushedIn(state))).toBe(
      2,
    );
    await runDurableObjectAlarm(roomStub(roomId));
    expect((await rowsOf(roomId)).map((r) => r.body)).toEqual(["x", "y"]);
  });

  it("keeps sending, acking and broadcasting while Postgres is down, then delivers every message exactly once", async () => {
    const [ana, ben] = await Promise.all([signUp(), signUp()]);
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    const b = await joinRoom(roomId, ben);
    await sendAll(a, ["before the outage"]);
    await runDurableObjectAlarm(roomStub(roomId));

    await setOutage(true);
    const during = Array.from({ length: 20 }, (_, i) => `during ${i + 1}`);
    await sendAll(a, during);
    await b.until((c) => c.of("message").length === 21, "every message live on the other socket");

    // The flush fails, keeps the rows, and schedules a retry with backoff.
    expect(await runDurableObjectAlarm(roomStub(roomId))).toBe(true);
    const afterFailure = await runInDurableObject(roomStub(roomId), async (_room: ChatRoom, state) => ({
      unflushed: unflushedIn(state),
      alarm: await state.storage.getAlarm(),
    }));
    expect(afterFailure.unflushed).toBe(20);
    expect(afterFailure.alarm).toBeGreaterThan(Date.now());

    // Recent history still loads from the room itself.
    const recent = await history(roomId, ana, "?limit=5");
    expect(recent.map((m) => m.body)).toEqual([
      "during 20",
      "during 19",
      "during 18",
      "during 17",
      "during 16",
    ]);

    // A second failed attempt backs off further.
    await runDurableObjectAlarm(roomStub(roomId));

    await setOutage(false);
    await runDurableObjectAlarm(roomStub(roomId));
    const rows = await rowsOf(roomId);
    expect(rows.map((r) => r.body)).toEqual(["before the outage", ...during]);
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
  });

  it("backs off with growing, capped delays while Postgres stays down", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    await sendAll(a, ["waiting"]);
    // Nobody connected: no presence sweeps, so the alarm follows the flush backoff alone.
    a.close();
    await a.until((c) => c.closed, "the close");
    await setOutage(true);
    const delays: number[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = Date.now();
      await runDurableObjectAlarm(roomStub(roomId));
      const next = await runInDurableObject(roomStub(roomId), (_room: ChatRoom, state) =>
        state.storage.getAlarm(),
      );
      delays.push((next ?? 0) - started);
    }
    expect(delays[0]).toBeGreaterThanOrEqual(700);
    expect(delays[1]).toBeGreaterThan(delays[0] ?? 0);
    expect(delays[2]).toBeGreaterThan(delays[1] ?? 0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(61_000);
  });
});

describe("history", () => {
  it("includes a message sent a moment ago, before any flush", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    await sendAll(a, ["just now"]);
    expect((await history(roomId, ana)).map((m) => m.body)).toEqual(["just now"]);
  });

  it("pages newest first across flushed and unflushed messages, with no gap or duplicate", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    const a = await joinRoom(roomId, ana);
    await sendAll(
      a,
      Array.from({ length: 30 }, (_, i) => `m${i + 1}`),
    );
    await runDurableObjectAlarm(roomStub(roomId));
    await sendAll(
      a,
      Array.from({ length: 15 }, (_, i) => `m${i + 31}`),
    );

    const seen: number[] = [];
    let before = "";
    for (;;) {
      const page = await history(roomId, ana, `?limit=20${before}`);
      if (page.length === 0) break;
      seen.push(...page.map((m) => m.seq));
      before = `&before=${page.at(-1)?.seq}`;
    }
    expect(seen).toEqual(Array.from({ length: 45 }, (_, i) => 45 - i));
  });

  it("serves old pages from Postgres when the room no longer holds them", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    await insertArchivedMessages(roomId, ana, 60, "archived");
    const a = await joinRoom(roomId, ana);
    await sendAll(a, ["fresh"]);
    const page = await history(roomId, ana, "?limit=3");
    expect(page.map((m) => [m.seq, m.body])).toEqual([
      [61, "fresh"],
      [60, "archived 60"],
      [59, "archived 59"],
    ]);
    expect((await history(roomId, ana)).length).toBe(50);
    expect((await history(roomId, ana, "?before=3")).map((m) => m.seq)).toEqual([2, 1]);
  });

  it("validates paging parameters and unknown rooms", async () => {
    const ana = await signUp();
    for (const params of ["?limit=0", "?limit=201", "?limit=abc", "?before=-1"]) {
      const response = await api(`/api/rooms/general/messages${params}`, { cookie: ana.cookie });
      expect(response.status, params).toBe(400);
    }
    const missing = await api("/api/rooms/nope-nope/messages", { cookie: ana.cookie });
    expect(missing.status).toBe(404);
  });

  it("answers 503 with a clear error when an old page needs Postgres and it is down", async () => {
    const ana = await signUp();
    const roomId = await createRoom(ana);
    await setOutage(true);
    const response = await api(`/api/rooms/${roomId}/messages`, { cookie: ana.cookie });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
  });
});

describe("requests while Postgres is down", () => {
  it("sign-up answers 503 database_unavailable, and works once it is back", async () => {
    const username = uniqueName();
    await setOutage(true);
    const down = await api("/api/auth/signup", {
      method: "POST",
      json: { username, password: "correct horse battery" },
    });
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe("database_unavailable");
    expect((await api("/api/health")).status).toBe(503);
    await setOutage(false);
    const up = await api("/api/auth/signup", {
      method: "POST",
      json: { username, password: "correct horse battery" },
    });
    expect(up.status).toBe(201);
  });
});
