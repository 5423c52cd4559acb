// The one bench client every system uses: opens a WebSocket, says hello, waits for
// `ready`, then sends `send` frames and reports each `message` frame's body with the time
// it arrived. The arrival time is taken first thing in the handler, before parsing.
import { randomUUID } from "node:crypto";
import { WebSocket } from "../../lib/ws.ts";
import { connectResumableFrameClient } from "./resumable-frame-client.ts";
import { type ServerProcess, waitForHttp } from "./server-process.ts";
import type { BenchClient, DeliveryListener, RunningSystem } from "./types.ts";

interface ServerFrame {
  type: string;
  body?: string;
  code?: string;
  room?: { canWrite?: boolean };
  /** A `batch` frame's frames, in order (Chattr coalesces under load for clients that ask). */
  frames?: ServerFrame[];
}

const CONNECT_TIMEOUT_MS = 30_000;

export async function connectFrameClient(
  url: string,
  headers: Record<string, string>,
  onDelivery: DeliveryListener,
): Promise<BenchClient> {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  const refusals = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`no ready from ${url} within 30 s`)),
      CONNECT_TIMEOUT_MS,
    );
    const fail = (error: Error) => {
      clearTimeout(timeout);
      reject(error);
    };
    socket.once("error", fail);
    socket.once("unexpected-response", (_request, response) =>
      fail(new Error(`${url} refused the upgrade: ${response.statusCode}`)),
    );
    socket.once("close", (code) => fail(new Error(`${url} closed before ready (${code})`)));
    // Asks for coalesced frames and presence changes, as Chattr's web client does; the others ignore both.
    socket.once("open", () =>
      socket.send(JSON.stringify({ type: "hello", batch: true, presenceChanges: true })),
    );
    const onFrame = (frame: ServerFrame, receivedAt: number) => {
      if (frame.type === "batch") for (const inner of frame.frames ?? []) onFrame(inner, receivedAt);
      else if (frame.type === "message" && typeof frame.body === "string") onDelivery(frame.body, receivedAt);
      else if (frame.type === "error")
        refusals.set(frame.code ?? "?", (refusals.get(frame.code ?? "?") ?? 0) + 1);
      else if (frame.type === "ready") {
        clearTimeout(timeout);
        if (frame.room?.canWrite === false) reject(new Error(`${url}: this client may not send here`));
        else resolve();
      }
    };
    socket.on("message", (data) => {
      const receivedAt = performance.now();
      onFrame(JSON.parse(String(data)) as ServerFrame, receivedAt);
    });
  });
  socket.removeAllListeners("close");
  socket.removeAllListeners("error");
  // A socket that fails mid-run shows up as missing deliveries, not as a crash.
  socket.on("error", () => {});
  return {
    send(body) {
      socket.send(JSON.stringify({ type: "send", clientId: randomUUID(), body }));
    },
    refusals,
    close() {
      socket.terminate();
    },
  };
}

/**
 * The running system for a server whose rooms are just URL paths (`/rooms/:id`), open to
 * anyone with no flood limit (the limit and the floor). Waits until it answers HTTP; on
 * failure, or later on `stop`, calls `stop`.
 */
export async function openRoomsServer(
  port: number,
  server: ServerProcess,
  stop: () => Promise<void>,
): Promise<RunningSystem> {
  try {
    await waitForHttp(`http://127.0.0.1:${port}/`, server);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    serverPids: [server.pid],
    gcPauses: (from, to) => server.gcPauses(from, to),
    async prepareRoom() {
      const url = `ws://127.0.0.1:${port}/rooms/${randomUUID()}`;
      return {
        maxSendsPerSecondPerClient: Number.POSITIVE_INFINITY,
        connect: (_index, onDelivery) => connectFrameClient(url, {}, onDelivery),
        // No resume protocol: a reconnected client is live again, what it missed is gone.
        connectResumable: (_index, onDelivery) =>
          connectResumableFrameClient(url, {}, onDelivery, { resumes: false }),
      };
    },
    stop,
  };
}
