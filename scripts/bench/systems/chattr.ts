// Chattr itself: the real Worker, Durable Objects and Postgres through `wrangler dev`.
// Bench users are not signed up: the bench mints each client's session cookie
// (session-cookie.ts) for a fresh user id with session version 0. A UserHub that was never
// used reports version 0, so the Worker accepts it, and a signed-in account may write in a
// public room.
// Only the room's owner is a real account (creating a room needs one).
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createRoomByApi, signUpByApi } from "../../../e2e/seed.ts";
import { SEND_RATE_PER_SECOND } from "../../../worker/room/send-limit.ts";
import { freePort } from "../../lib/free-port.ts";
import { setProxyOutage } from "./fault-proxy.ts";
import { connectFrameClient } from "./frame-client.ts";
import { connectFrameSender } from "./frame-sender.ts";
import { startServerProcess, waitForOutput } from "./server-process.ts";
import { mintSessionCookie } from "./session-cookie.ts";
import type { BenchSystem } from "./types.ts";

const SERVER_SCRIPT = fileURLToPath(new URL("./chattr-server.ts", import.meta.url));
const START_TIMEOUT_MS = 120_000;

export const chattrSystem: BenchSystem = {
  name: "chattr",
  description:
    "the real app under `wrangler dev`: session check, Durable Object room, Postgres (embedded PGlite)",
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
    });
    try {
      const baseUrl = await waitForOutput(server, /BENCH_READY (\S+)/, "Chattr", START_TIMEOUT_MS);
      const [, databaseUrl = "", faultControl = ""] =
        /BENCH_DATABASE (\S+) (\S+)/.exec(server.output()) ?? [];
      const ownerCookie = await signUpByApi(baseUrl, `bench_owner_${randomBytes(4).toString("hex")}`);
      return {
        serverPids: [server.pid],
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
            roomId,
            connectSender: (index, onAck) =>
              connectFrameSender(url, { Cookie: cookies[index] ?? "", Origin: baseUrl }, onAck),
          };
        },
        database: {
          url: databaseUrl,
          setOutage: (down) => setProxyOutage(faultControl, down),
        },
        stop: () => server.stop(),
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};
