// Issue 15's two cases, on Chattr only (they need its HTTP API and its Postgres):
// - the room list with many public rooms: GET /api/rooms latency, p50 and p99;
// - /api/health while one account sends 60 wrong room passwords at once: the latency of
//   everyone else's requests while guesses are hashed (argon2id, 19 MiB each).
import { performance } from "node:perf_hooks";
import pg from "pg";
import type { RunningSystem } from "../systems/types.ts";
import { sleep } from "./measure.ts";

export interface RoomListCase {
  /** Public rooms seeded straight into Postgres before measuring. */
  rooms: number;
  /** Requests measured, `concurrency` at a time, after a few unmeasured warm-ups. */
  requests: number;
  concurrency: number;
}

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

export interface RoomListResult {
  latency: LatencySummary;
  /** Rooms in the first page's answer (own rooms, the lobby, and a page of public rooms). */
  listed: number;
}

export interface JoinFloodCase {
  /** Wrong-password joins sent at once by one account from one address. */
  joins: number;
  /** How often /api/health is asked while they run. */
  healthEveryMs: number;
}

export interface JoinFloodResult {
  health: LatencySummary;
  /**
   * `/api/online` at the same moments: a request that needs no Postgres, so it shows the
   * Worker's own delay apart from the database's (which shares the server's CPU here).
   */
  online: LatencySummary;
  /** How the joins were answered, e.g. { 403: 5, 429: 55 }. */
  statuses: Record<number, number>;
  /** From the first join sent to the last answered. */
  floodMs: number;
}

export function summarise(values: number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? 0;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1) ?? 0, count: sorted.length };
}

async function timed(run: () => Promise<Response>): Promise<{ ms: number; response: Response }> {
  const start = performance.now();
  const response = await run();
  await response.arrayBuffer();
  return { ms: performance.now() - start, response };
}

function access(system: RunningSystem) {
  const { webApp, database } = system;
  if (!webApp || !database) throw new Error("this case needs Chattr's web app and Postgres");
  return { webApp, database };
}

export async function runRoomList(system: RunningSystem, listCase: RoomListCase): Promise<RoomListResult> {
  const { webApp, database } = access(system);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // Seeded once per run: a second case measures the same 1,000 rooms.
    const seeded = await client.query("select count(*)::int as n from rooms where id like 'benchlist%'");
    const missing = Math.max(0, listCase.rooms - Number(seeded.rows[0]?.n ?? 0));
    // Each with a latest message at its own time, as active rooms would have.
    await client.query(
      `with made as (
         insert into rooms (id, name, visibility)
         select 'benchlist' || substr(md5(random()::text), 1, 16), 'bench room ' || n, 'public'
         from generate_series(1, $1::int) n
         returning id
       )
       insert into room_activity (room_id, latest_seq, latest_at)
       select id, 10, now() - (random() * interval '1 day') from made`,
      [missing],
    );
  } finally {
    await client.end();
  }
  const list = () =>
    fetch(`${webApp.baseUrl}/api/rooms`, { headers: { Cookie: webApp.cookie, Origin: webApp.baseUrl } });
  let listed = 0;
  for (let i = 0; i < 5; i++) {
    const { response } = await timed(list);
    if (!response.ok) throw new Error(`GET /api/rooms answered ${response.status}`);
  }
  const body = (await (await list()).json()) as { rooms: unknown[] };
  listed = body.rooms.length;
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: listCase.concurrency }, async () => {
      while (next < listCase.requests) {
        next++;
        times.push((await timed(list)).ms);
      }
    }),
  );
  return { latency: summarise(times), listed };
}

export async function runJoinFlood(system: RunningSystem, flood: JoinFloodCase): Promise<JoinFloodResult> {
  const { webApp } = access(system);
  const { baseUrl } = webApp;
  const post = (path: string, body: unknown, cookie: string) =>
    fetch(`${baseUrl}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  const created = await post(
    "/api/rooms",
    { name: "locked", visibility: "private", password: "the real one" },
    webApp.cookie,
  );
  if (created.status !== 201) throw new Error(`creating the private room answered ${created.status}`);
  const { room } = (await created.json()) as { room: { id: string } };
  const name = `bench_guesser_${Math.random().toString(36).slice(2, 10)}`;
  const signup = await post("/api/auth/signup", { username: name, password: "correct horse battery" }, "");
  if (signup.status !== 201) throw new Error(`the guesser's sign-up answered ${signup.status}`);
  const guesser = /chattr_session=[^;]*/.exec(signup.headers.get("Set-Cookie") ?? "")?.[0] ?? "";
  // Let the sign-up's own hash finish before measuring.
  await sleep(1_000);

  const health: number[] = [];
  const online: number[] = [];
  let flooding = true;
  const probeEach = (path: string, into: number[]) =>
    (async () => {
      while (flooding) {
        into.push((await timed(() => fetch(`${baseUrl}${path}`))).ms);
        await sleep(flood.healthEveryMs);
      }
    })();
  const probes = [probeEach("/api/health", health), probeEach("/api/online", online)];
  const start = performance.now();
  const answers = await Promise.all(
    Array.from({ length: flood.joins }, (_, i) =>
      post(`/api/rooms/${room.id}/join`, { password: `wrong guess ${i}` }, guesser).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    ),
  );
  const floodMs = performance.now() - start;
  // Enough samples for a p99 even when the guesses are refused quickly.
  await sleep(Math.max(0, 2_000 - floodMs));
  flooding = false;
  await Promise.all(probes);
  const statuses: Record<number, number> = {};
  for (const status of answers) statuses[status] = (statuses[status] ?? 0) + 1;
  return { health: summarise(health), online: summarise(online), statuses, floodMs };
}
