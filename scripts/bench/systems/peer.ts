// The peer (issue 6): Socket.IO 4.8 with `io.to(room).emit`, Chattr's session check and
// batched writes to the same Postgres schema. Two child processes, both sampled and pinned
// like the other servers: the database (peer-postgres.ts, started as Chattr's dev server
// starts its own) and the Socket.IO server (peer-server.ts).
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { freePort } from "../../lib/free-port.ts";
import { setProxyOutage } from "./fault-proxy.ts";
import { connectPeerClient } from "./peer-client.ts";
import { connectResumablePeerClient } from "./peer-resumable-client.ts";
import { connectPeerSender } from "./peer-sender.ts";
import { type ServerProcess, startServerProcess, waitForHttp, waitForOutput } from "./server-process.ts";
import { mintSessionCookie } from "./session-cookie.ts";
import type { BenchSystem } from "./types.ts";

const DATABASE_SCRIPT = fileURLToPath(new URL("./peer-postgres.ts", import.meta.url));
const SERVER_SCRIPT = fileURLToPath(new URL("./peer-server.ts", import.meta.url));
const DATABASE_START_TIMEOUT_MS = 60_000;

export const peerSystem: BenchSystem = {
  name: "peer",
  description:
    "Socket.IO 4.8 in Node (WebSocket transport, `io.to(room).emit`, Connection State Recovery on), Chattr's session cookie check, " +
    "batched multi-row INSERTs (100 ms or 500 rows; a failed batch is kept in memory and retried with Chattr's flush backoff) " +
    "into the same Postgres schema (embedded PGlite, own process)",
  async start({ serverCpu, verbose }) {
    const database = startServerProcess({
      command: process.execPath,
      args: [DATABASE_SCRIPT],
      cpu: serverCpu,
      verbose,
    });
    let server: ServerProcess | undefined;
    try {
      const databaseUrl = await waitForOutput(
        database,
        /BENCH_DATABASE_READY (\S+)/,
        "the peer's Postgres",
        DATABASE_START_TIMEOUT_MS,
      );
      const [, directUrl = "", faultControl = ""] =
        /BENCH_DATABASE_DIRECT (\S+) (\S+)/.exec(database.output()) ?? [];
      const port = await freePort();
      const baseUrl = `http://127.0.0.1:${port}`;
      const sessionSecret = randomBytes(32).toString("hex");
      server = startServerProcess({
        command: process.execPath,
        args: [SERVER_SCRIPT],
        env: {
          BENCH_PORT: String(port),
          BENCH_SESSION_SECRET: sessionSecret,
          BENCH_DATABASE_URL: databaseUrl,
        },
        cpu: serverCpu,
        verbose,
        traceGc: "node",
      });
      await waitForHttp(`${baseUrl}/`, server);
      const running = server;
      return {
        serverPids: [running.pid, database.pid],
        gcPauses: (from, to) => running.gcPauses(from, to),
        async prepareRoom(clientCount) {
          const response = await fetch(`${baseUrl}/rooms`, { method: "POST" });
          if (!response.ok) throw new Error(`the peer could not create a room: ${await response.text()}`);
          const { id: roomId } = (await response.json()) as { id: string };
          const cookies = await Promise.all(
            Array.from({ length: clientCount }, (_, index) =>
              mintSessionCookie(sessionSecret, `bench${index}`),
            ),
          );
          return {
            maxSendsPerSecondPerClient: Number.POSITIVE_INFINITY,
            connect: (index, onDelivery) =>
              connectPeerClient(baseUrl, cookies[index] ?? "", roomId, onDelivery),
            connectResumable: (index, onDelivery) =>
              connectResumablePeerClient(baseUrl, cookies[index] ?? "", roomId, onDelivery),
            roomId,
            connectSender: (index, onAck) => connectPeerSender(baseUrl, cookies[index] ?? "", roomId, onAck),
          };
        },
        database: {
          url: directUrl,
          setOutage: (down) => setProxyOutage(faultControl, down),
        },
        async storedMessages() {
          const response = await fetch(`${baseUrl}/stored`);
          if (!response.ok)
            throw new Error(`the peer could not count its messages: ${await response.text()}`);
          const { rows } = (await response.json()) as { rows: number };
          return rows;
        },
        async stop() {
          await running.stop();
          await database.stop();
        },
      };
    } catch (error) {
      await server?.stop();
      await database.stop();
      throw error;
    }
  },
};
