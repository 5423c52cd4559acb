// `npm run dev` keeps history across restarts: Durable Object storage and the embedded
// Postgres both live on disk. Exercised through a real `wrangler dev`, twice.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";
import { freePort } from "../scripts/lib/free-port.ts";
import { WebSocket } from "../scripts/lib/ws.ts";

const dir = mkdtempSync(join(tmpdir(), "chattr-restart-"));
const sessionSecret = randomBytes(32).toString("base64url");
let server: DevServer | undefined;

async function start(): Promise<DevServer> {
  // Always the embedded database: this is about the default local set-up.
  server = await startDevServer({
    port: await freePort(),
    sessionSecret,
    dataDir: join(dir, "pglite"),
    persistTo: join(dir, "wrangler"),
  });
  return server;
}

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("local dev server", () => {
  it("still has the history after a stop and a start", async () => {
    let app = await start();
    const username = `restart_${randomBytes(4).toString("hex")}`;
    const signup = await fetch(`${app.url}/api/auth/signup`, {
      method: "POST",
      headers: { Origin: app.url, "Content-Type": "application/json" },
      body: JSON.stringify({ username, password: "correct horse battery" }),
    });
    expect(signup.status).toBe(201);
    const cookie = /chattr_session=[^;]*/.exec(signup.headers.get("set-cookie") ?? "")?.[0] ?? "";

    const body = `remember me ${Date.now()}`;
    const ws = new WebSocket(`${app.url.replace("http", "ws")}/api/rooms/general/ws`, {
      headers: { Origin: app.url, Cookie: cookie },
    });
    const acked = new Promise<{ seq: number }>((resolve, reject) => {
      ws.on("message", (data) => {
        const frame = JSON.parse(String(data)) as { type: string; seq: number };
        if (frame.type === "ready") ws.send(JSON.stringify({ type: "send", clientId: "restart-1", body }));
        if (frame.type === "ack") resolve(frame);
      });
      ws.on("error", reject);
    });
    ws.on("open", () => ws.send(JSON.stringify({ type: "hello" })));
    const { seq } = await acked;
    ws.close();

    await app.stop();
    app = await start();

    const history = await fetch(`${app.url}/api/rooms/general/messages`, { headers: { Cookie: cookie } });
    const { messages } = (await history.json()) as {
      messages: { seq: number; body: string; author: { name: string } }[];
    };
    expect(messages[0]).toMatchObject({ seq, body, author: { name: username } });
    const me = await fetch(`${app.url}/api/me`, { headers: { Cookie: cookie } });
    expect(me.status).toBe(200);
  }, 120_000);
});
