// How fast friends hear about each other, measured against the real app under
// `wrangler dev` on loopback: a friend request arriving on the other hub, a friend coming
// online, and going offline (which waits the 2 s grace period on purpose). 10 rounds.
// Run: npx node scripts/measure-presence.ts
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signUpByApi } from "../e2e/seed.ts";
import { startDevServer } from "./dev-server.ts";
import { freePort } from "./lib/free-port.ts";
import { WebSocket } from "./lib/ws.ts";

const server = await startDevServer({
  port: await freePort(),
  sessionSecret: randomBytes(32).toString("hex"),
  throwawayDatabase: true,
  persistTo: mkdtempSync(join(tmpdir(), "presence-")),
});
const base = server.url;
const post = (path: string, cookie: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: base, Cookie: cookie },
    body: JSON.stringify(body),
  });
function hub(cookie: string) {
  const ws = new WebSocket(`${base.replace("http", "ws")}/api/me/ws`, {
    headers: { Cookie: cookie, Origin: base },
  });
  const frames: { at: number; f: Frame }[] = [];
  ws.on("open", () => ws.send(JSON.stringify({ type: "hello" })));
  ws.on("message", (d) => frames.push({ at: performance.now(), f: JSON.parse(String(d)) as Frame }));
  return { ws, frames };
}
type Frame = { type: string; online?: boolean };
/** When the first frame matching `match` arrived, waiting for it. */
async function arrival(frames: { at: number; f: Frame }[], match: (f: Frame) => boolean): Promise<number> {
  for (;;) {
    const found = frames.find((x) => match(x.f));
    if (found) return found.at;
    await wait(2);
  }
}
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const online: number[] = [];
const offline: number[] = [];
const request: number[] = [];
for (let i = 0; i < 10; i++) {
  const a = await signUpByApi(base, `pa${i}_${randomBytes(3).toString("hex")}`);
  const bName = `pb${i}_${randomBytes(3).toString("hex")}`;
  const b = await signUpByApi(base, bName);
  const bHub = hub(b);
  await wait(300);
  const t0 = performance.now();
  const asked = await post("/api/friends/requests", a, { username: bName });
  const { request: r } = (await asked.json()) as { request: { id: string } };
  request.push((await arrival(bHub.frames, (f) => f.type === "friend_request")) - t0);
  await post(`/api/friends/requests/${r.id}/accept`, b, {});
  await wait(300);
  const t1 = performance.now();
  const aHub = hub(a);
  online.push((await arrival(bHub.frames, (f) => f.type === "friend_presence" && f.online === true)) - t1);
  await wait(300);
  const t2 = performance.now();
  aHub.ws.close();
  offline.push((await arrival(bHub.frames, (f) => f.type === "friend_presence" && f.online === false)) - t2);
  bHub.ws.close();
}
const q = (xs: number[], p: number) =>
  ([...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? Number.NaN).toFixed(
    0,
  );
console.log(`request delivered live: p50 ${q(request, 0.5)} ms, max ${q(request, 1)} ms`);
console.log(
  `online seen by friend (from opening the socket): p50 ${q(online, 0.5)} ms, max ${q(online, 1)} ms`,
);
console.log(
  `offline seen by friend (from closing, incl. 2 s grace): p50 ${q(offline, 0.5)} ms, max ${q(offline, 1)} ms`,
);
await server.stop();
