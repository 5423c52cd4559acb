// Issue 16's case, on Chattr only: what live unread badges cost and how late they are. A room
// with `members` accounts, each with the app open (a hub socket, not the room); one of them
// sends `messages` at the room's steady rate, and each member's hub must hear
// `room_activity` with that message's seq. Measured: from each send to each member's badge
// (p50, p99, max), and how many hub frames a member got per message (coalescing).
import { performance } from "node:perf_hooks";
import pg from "pg";
import { WebSocket } from "../../lib/ws.ts";
import type { RunningSystem } from "../systems/types.ts";
import { type LatencySummary, summarise } from "./limits.ts";
import { sleep } from "./measure.ts";

export interface BadgeCase {
  members: number;
  messages: number;
  /** Between sends: the room's steady flood limit is 5 a second. */
  intervalMs: number;
}

export interface BadgeResult {
  latency: LatencySummary;
  /** Hub frames per member per message: below 1 when a burst is told at once. */
  framesPerMessage: number;
  /** Badges that never reached their member (should be 0). */
  missed: number;
}

interface Frame {
  type: string;
  roomId?: string;
  latestSeq?: number;
  seq?: number;
  clientId?: string;
}

function open(
  url: string,
  cookie: string,
  origin: string,
  onFrame: (frame: Frame) => void,
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Cookie: cookie, Origin: origin } });
    socket.on("error", reject);
    socket.on("open", () => socket.send(JSON.stringify({ type: "hello" })));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if (frame.type === "ready") resolve(socket);
      onFrame(frame);
    });
  });
}

export async function runBadges(system: RunningSystem, badgeCase: BadgeCase): Promise<BadgeResult> {
  const { webApp, database } = system;
  if (!webApp || !database) throw new Error("this case needs Chattr's web app and Postgres");
  const { baseUrl } = webApp;
  const ws = baseUrl.replace(/^http/, "ws");
  const roomId = await webApp.seedRoom(["the room before the badges"]);

  // Members sign up from addresses of their own (the app allows 30 sign-ups per address).
  const cookies: string[] = [];
  for (let i = 0; i < badgeCase.members; i++) {
    const response = await fetch(`${baseUrl}/api/auth/signup`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Origin: baseUrl,
        "CF-Connecting-IP": `127.2.0.${i + 1}`,
      },
      body: JSON.stringify({
        username: `bench_badge_${Math.random().toString(36).slice(2, 10)}`,
        password: "correct horse battery",
      }),
    });
    if (response.status !== 201) throw new Error(`a member's sign-up answered ${response.status}`);
    cookies.push(/^[^;]+/.exec(response.headers.get("Set-Cookie") ?? "")?.[0] ?? "");
  }
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    // Members of the room as if they had joined it (the join itself is not what is measured).
    const ids = await Promise.all(
      cookies.map(async (cookie) => {
        const me = await fetch(`${baseUrl}/api/me`, { headers: { Cookie: cookie } });
        return ((await me.json()) as { user: { id: string } }).user.id;
      }),
    );
    await client.query(
      `insert into room_members (room_id, user_id, joined_seq)
       select $1, unnest($2::uuid[]), (select coalesce(max(latest_seq), 0) from room_activity where room_id = $1)`,
      [roomId, ids],
    );
  } finally {
    await client.end();
  }

  // Each member's hub: when it heard each seq first.
  const heard = cookies.map(() => new Map<number, number>());
  const frames = cookies.map(() => 0);
  const hubs = await Promise.all(
    cookies.map((cookie, i) =>
      open(`${ws}/api/me/ws`, cookie, baseUrl, (frame) => {
        if (frame.type !== "room_activity" || frame.roomId !== roomId || frame.latestSeq === undefined)
          return;
        frames[i] = (frames[i] ?? 0) + 1;
        const at = performance.now();
        const map = heard[i];
        if (map && !map.has(frame.latestSeq)) map.set(frame.latestSeq, at);
      }),
    ),
  );
  // Their hubs wrote `users.online`; give the room list's row a moment to settle.
  await sleep(1_000);
  for (const [i] of frames.entries()) frames[i] = 0;

  const sentAt = new Map<number, number>();
  const pending = new Map<string, number>();
  const sender = await open(`${ws}/api/rooms/${roomId}/ws`, webApp.cookie, baseUrl, (frame) => {
    if (frame.type === "ack" && frame.clientId && frame.seq !== undefined) {
      const at = pending.get(frame.clientId);
      if (at !== undefined) sentAt.set(frame.seq, at);
    }
  });
  for (let n = 0; n < badgeCase.messages; n++) {
    const clientId = `badge-${n}`;
    pending.set(clientId, performance.now());
    sender.send(JSON.stringify({ type: "send", clientId, body: `badge ${n}` }));
    await sleep(badgeCase.intervalMs);
  }
  await sleep(3_000);
  sender.close();
  for (const hub of hubs) hub.close();

  // A member's badge for message `seq` is the first frame with latestSeq ≥ seq.
  const latencies: number[] = [];
  let missed = 0;
  for (const map of heard) {
    const times = [...map.entries()].sort((a, b) => a[0] - b[0]);
    for (const [seq, sent] of sentAt) {
      const first = times.find(([latest]) => latest >= seq);
      if (first) latencies.push(Math.max(0, first[1] - sent));
      else missed++;
    }
  }
  const totalFrames = frames.reduce((sum, n) => sum + n, 0);
  return {
    latency: summarise(latencies),
    framesPerMessage: totalFrames / Math.max(1, badgeCase.members * sentAt.size),
    missed,
  };
}
