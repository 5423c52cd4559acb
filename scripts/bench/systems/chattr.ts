// Chattr itself: the real Worker, Durable Objects and Postgres through `wrangler dev`.
// Bench users are not signed up: the bench mints each client's session cookie
// (session-cookie.ts) for a fresh user id with session version 0. A UserHub that was never
// used reports version 0, so the Worker accepts it, and a signed-in account may write in a
// public room.
// Only the room's owner is a real account (creating a room needs one).
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRoomByApi, sendMessages, signUpByApi } from "../../../e2e/seed.ts";
import { SEND_RATE_PER_SECOND } from "../../../worker/room/send-limit.ts";
import { freePort } from "../../lib/free-port.ts";
import { setProxyOutage } from "./fault-proxy.ts";
import { connectFrameClient } from "./frame-client.ts";
import { connectFrameSender } from "./frame-sender.ts";
import { connectResumableFrameClient } from "./resumable-frame-client.ts";
import { startServerProcess, waitForOutput } from "./server-process.ts";
import { mintSessionCookie } from "./session-cookie.ts";
import type { BenchSystem } from "./types.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./chattr-server.ts", import.meta.url));
const START_TIMEOUT_MS = 120_000;
/** Sends per seeding author: under the room's burst of 20, so seeding never waits for the flood limit. */
const SEED_SENDS_PER_AUTHOR = 19;

export const chattrSystem: BenchSystem = {
  name: "chattr",
  description:
    "the real app in workerd (Miniflare, configured and bundled from wrangler.toml as `wrangler dev` does): session check, Durable Object room, Postgres (embedded PGlite)",
  async start({ serverCpu, verbose }) {
    const port = await freePort();
    const sessionSecret = randomBytes(32).toString("hex");
    const server = startServerProcess({
      command: process.execPath,
      args: [SERVER_SCRIPT],
      env: {
        BENCH_PORT: String(port),
        BENCH_SESSION_SECRET: sessionSecret,
        BENCH_VERBOSE: verbose ? "1" : "0",
      },
      cpu: serverCpu,
      verbose,
      traceGc: "workerd",
    });
    // The server removes its storage folder when it exits, unless it was killed outright.
    const removeStorage = () => {
      const folder = /BENCH_STORAGE (\S+)/.exec(server.output())?.[1];
      if (folder) rmSync(folder, { recursive: true, force: true });
    };
    process.once("exit", removeStorage);
    const stop = async () => {
      await server.stop();
      removeStorage();
      process.off("exit", removeStorage);
    };
    try {
      const baseUrl = await waitForOutput(server, /BENCH_READY (\S+)/, "Chattr", START_TIMEOUT_MS);
      const [, databaseUrl = "", faultControl = ""] =
        /BENCH_DATABASE (\S+) (\S+)/.exec(server.output()) ?? [];
      const ownerCookie = await signUpByApi(baseUrl, `bench_owner_${randomBytes(4).toString("hex")}`);
      return {
        serverPids: [server.pid],
        gcPauses: (from, to) => server.gcPauses(from, to),
        async prepareRoom(clientCount) {
          const roomId = await createRoomByApi(
            baseUrl,
            ownerCookie,
            `bench-${randomBytes(3).toString("hex")}`,
          );
          const cookies = await Promise.all(
            Array.from({ length: clientCount }, (_, index) =>
              mintSessionCookie(sessionSecret, `bench${index}`),
            ),
          );
          const url = `${baseUrl.replace(/^http/, "ws")}/api/rooms/${roomId}/ws`;
          return {
            // Under the steady refill rate, so a Poisson burst fits in the bucket's burst allowance.
            maxSendsPerSecondPerClient: SEND_RATE_PER_SECOND * 0.8,
            connect: (index, onDelivery) =>
              connectFrameClient(url, { Cookie: cookies[index] ?? "", Origin: baseUrl }, onDelivery),
            connectResumable: (index, onDelivery) =>
              connectResumableFrameClient(
                url,
                { Cookie: cookies[index] ?? "", Origin: baseUrl },
                onDelivery,
                {
                  resumes: true,
                  // Under the room's 60 s silence limit, for a storm that takes long to set up.
                  pingEveryMs: 20_000,
                },
              ),
            roomId,
            connectSender: (index, onAck) =>
              connectFrameSender(url, { Cookie: cookies[index] ?? "", Origin: baseUrl }, onAck),
          };
        },
        webApp: {
          baseUrl,
          cookie: ownerCookie,
          async seedRoom(bodies) {
            const roomId = await createRoomByApi(
              baseUrl,
              ownerCookie,
              `web-${randomBytes(3).toString("hex")}`,
            );
            // A few authors in turn, each within its burst allowance; one after another keeps the order.
            for (let start = 0; start < bodies.length; start += SEED_SENDS_PER_AUTHOR) {
              const author = await mintSessionCookie(sessionSecret, `author${start / SEED_SENDS_PER_AUTHOR}`);
              await sendMessages(baseUrl, author, roomId, bodies.slice(start, start + SEED_SENDS_PER_AUTHOR));
            }
            return roomId;
          },
        },
        database: {
          url: databaseUrl,
          setOutage: (down) => setProxyOutage(faultControl, down),
        },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  },
};
