// Seeding for the browser suites without clicking: accounts, rooms and many messages over
// the same HTTP and WebSocket contract the app uses (so flood limits apply: sends are paced).
import { randomUUID } from "node:crypto";
import { WebSocket } from "../scripts/lib/ws.ts";

/** The room's flood limit: a burst of 20, then 5 per second (worker/room/send-limit.ts). */
const SEND_BURST = 20;
const SEND_INTERVAL_MS = 210;

let seededRooms = 0;

async function post(
  baseUrl: string,
  path: string,
  body: unknown,
  cookie?: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Origin: baseUrl, ...extra };
  if (cookie) headers.Cookie = cookie;
  const response = await fetch(`${baseUrl}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return response;
}

/** Signs up over the API; returns the `name=value` session cookie. */
export async function signUpByApi(baseUrl: string, username: string): Promise<string> {
  const response = await post(baseUrl, "/api/auth/signup", { username, password: "correct horse battery" });
  const cookie = /^[^;]+/.exec(response.headers.get("Set-Cookie") ?? "")?.[0];
  if (!cookie) throw new Error("signup set no session cookie");
  return cookie;
}

/**
 * A public room, as if made from an address of its own: seeding stands in for many people,
 * and the app allows 30 new rooms an hour per address (the bench makes about 60). Locally
 * the platform keeps a `CF-Connecting-IP` the client sends; in production it sets its own.
 */
export async function createRoomByApi(baseUrl: string, cookie: string, name: string): Promise<string> {
  const n = seededRooms++;
  const address = `127.1.${(n >> 8) & 255}.${n & 255}`;
  const response = await post(baseUrl, "/api/rooms", { name, visibility: "public" }, cookie, {
    "CF-Connecting-IP": address,
  });
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/**
 * Sends `bodies` in order over a room socket, paced under the flood limit; resolves once
 * all are acked. A send refused as `rate_limited` (the pacing is measured on arrival, and
 * a loaded machine can bunch frames up) is sent again with the same clientId, as the app's
 * outbox does; any other refusal fails the seeding.
 */
export async function sendMessages(
  baseUrl: string,
  cookie: string,
  roomId: string,
  bodies: string[],
): Promise<void> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/rooms/${roomId}/ws`, {
    headers: { Cookie: cookie, Origin: baseUrl },
  });
  const sends = bodies.map((body) => ({ type: "send", clientId: randomUUID(), body }));
  const byClientId = new Map<string, (typeof sends)[number]>(sends.map((frame) => [frame.clientId, frame]));
  const acked = new Set<string>();
  let settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  const done = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  const ready = new Promise<void>((resolve, reject) => {
    socket.on("error", (error) => {
      reject(error);
      settle?.reject(error);
    });
    socket.on("open", () => socket.send(JSON.stringify({ type: "hello" })));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { type: string; clientId?: string; code?: string };
      if (frame.type === "ready") resolve();
      if (frame.type === "ack" && frame.clientId) acked.add(frame.clientId);
      if (frame.type === "error") {
        const retry = frame.clientId ? byClientId.get(frame.clientId) : undefined;
        if (frame.code === "rate_limited" && retry)
          setTimeout(() => socket.send(JSON.stringify(retry)), 1_000);
        else settle?.reject(new Error(`room refused a send: ${frame.code}`));
      }
      if (acked.size === bodies.length) settle?.resolve();
    });
  });
  await ready;
  for (const [index, frame] of sends.entries()) {
    socket.send(JSON.stringify(frame));
    if (index >= SEND_BURST - 1) await new Promise((resolve) => setTimeout(resolve, SEND_INTERVAL_MS));
  }
  await done;
  socket.close();
}

/** The account's id, from its session cookie. */
export async function userIdByApi(baseUrl: string, cookie: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/me`, { headers: { Cookie: cookie } });
  return ((await response.json()) as { user: { id: string } }).user.id;
}

/** A asks B by username and B accepts: friends, without the friends panel. */
export async function befriendByApi(
  baseUrl: string,
  from: string,
  to: { cookie: string; username: string },
): Promise<void> {
  const asked = await post(baseUrl, "/api/friends/requests", { username: to.username }, from);
  const { request } = (await asked.json()) as { request: { id: string } };
  await post(baseUrl, `/api/friends/requests/${request.id}/accept`, {}, to.cookie);
}

/** The two friends' direct room (made on first use), as "Message" opens it. */
export async function directRoomByApi(baseUrl: string, cookie: string, friendId: string): Promise<string> {
  const response = await post(baseUrl, `/api/friends/${friendId}/dm`, {}, cookie);
  return ((await response.json()) as { room: { id: string } }).room.id;
}

/** A second session of the account (another browser); returns its cookie. */
export async function logInByApi(baseUrl: string, username: string): Promise<string> {
  const response = await post(baseUrl, "/api/auth/login", { username, password: "correct horse battery" });
  const cookie = /^[^;]+/.exec(response.headers.get("Set-Cookie") ?? "")?.[0];
  if (!cookie) throw new Error("login set no session cookie");
  return cookie;
}

export async function changePasswordByApi(
  baseUrl: string,
  cookie: string,
  newPassword: string,
): Promise<void> {
  await post(baseUrl, "/api/me/password", { currentPassword: "correct horse battery", newPassword }, cookie);
}
