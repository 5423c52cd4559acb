// The bench client of the reconnect storm (scenario 3) for the systems that speak frames
// (limit, floor, Chattr): frame-client.ts's client, plus `drop` (terminate the TCP
// connection, no close handshake) and `reconnect`. It remembers the highest `seq` it has
// seen; with `resumes` it reconnects with Chattr's `hello {lastSeq}` and is caught up once
// `ready` and the replay up to `ready.seq` arrived (or `resync` said the gap is too old).
// Like Chattr's web client it also names the presence version it holds, so a room whose
// list did not change leaves the list out of `ready`.
// Without it (limit, floor: no resume protocol) it is back at `ready`, and what it missed
// stays missed.
import { randomUUID } from "node:crypto";
import { WebSocket } from "../../lib/ws.ts";
import type { DeliveryListener, ReconnectOutcome, ResumableClient } from "./types.ts";

interface ServerFrame {
  type: string;
  seq?: number;
  body?: string;
  code?: string;
  room?: { canWrite?: boolean };
  frames?: ServerFrame[];
  /** In `ready`. */
  presenceVersion?: string;
  /** In `presence` and `presence_change`. */
  version?: string;
}

export interface ResumableFrameOptions {
  /** Send `hello {lastSeq}` and wait for the replay (Chattr). */
  resumes: boolean;
  /** Send the text frame `ping` this often, so a quiet client is not dropped as silent (Chattr). */
  pingEveryMs?: number;
}

const CONNECT_TIMEOUT_MS = 30_000;

export async function connectResumableFrameClient(
  url: string,
  headers: Record<string, string>,
  onDelivery: DeliveryListener,
  options: ResumableFrameOptions,
): Promise<ResumableClient> {
  const refusals = new Map<string, number>();
  /** The highest message seq seen, or the room's seq at the first `ready`. */
  let lastSeq: number | undefined;
  /** The version of the room's online list this client holds (Chattr's presence frames). */
  let presenceVersion: string | undefined;
  let socket: WebSocket | undefined;
  let pinger: NodeJS.Timeout | undefined;
  let receivedBytes = 0;

  /** Opens a socket, says hello, resolves once caught up. */
  function open(): Promise<ReconnectOutcome> {
    const current = new WebSocket(url, { headers, perMessageDeflate: false });
    socket = current;
    const resumingFrom = options.resumes ? lastSeq : undefined;
    const hello = {
      type: "hello",
      batch: true,
      presenceChanges: true,
      ...(resumingFrom === undefined ? {} : { lastSeq: resumingFrom }),
      ...(resumingFrom === undefined || presenceVersion === undefined ? {} : { presenceVersion }),
    };
    return new Promise<ReconnectOutcome>((resolve, reject) => {
      /** Once `ready` came: the seq the replay must reach. */
      let catchUpTo: number | undefined;
      let settled = false;
      const timeout = setTimeout(
        () => fail(new Error(`not caught up with ${url} within 30 s`)),
        CONNECT_TIMEOUT_MS,
      );
      const settle = (outcome: ReconnectOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        current.removeAllListeners("close");
        current.removeAllListeners("error");
        // A socket that fails mid-run shows up as missing deliveries, not as a crash.
        current.on("error", () => {});
        resolve(outcome);
      };
      function fail(error: Error) {
        if (settled) return;
        settled = true;
        clearTimeout(timeout);
        current.removeAllListeners();
        current.on("error", () => {});
        current.terminate();
        reject(error);
      }
      current.once("error", fail);
      current.once("unexpected-response", (_request, response) =>
        fail(new Error(`${url} refused the upgrade: ${response.statusCode}`)),
      );
      current.once("close", (code) => fail(new Error(`${url} closed before ready (${code})`)));
      current.once("open", () => current.send(JSON.stringify(hello)));
      const onFrame = (frame: ServerFrame, receivedAt: number) => {
        if (frame.type === "batch") {
          for (const inner of frame.frames ?? []) onFrame(inner, receivedAt);
        } else if (frame.type === "message") {
          if (typeof frame.seq === "number") lastSeq = Math.max(lastSeq ?? 0, frame.seq);
          if (typeof frame.body === "string") onDelivery(frame.body, receivedAt);
          if (catchUpTo !== undefined && (lastSeq ?? 0) >= catchUpTo) settle("resumed");
        } else if (frame.type === "error") {
          refusals.set(frame.code ?? "?", (refusals.get(frame.code ?? "?") ?? 0) + 1);
        } else if (frame.type === "presence" || frame.type === "presence_change") {
          presenceVersion = frame.version;
        } else if (frame.type === "resync") {
          settle("resync");
        } else if (frame.type === "ready") {
          presenceVersion = frame.presenceVersion;
          if (frame.room?.canWrite === false) return fail(new Error(`${url}: this client may not send here`));
          const roomSeq = typeof frame.seq === "number" ? frame.seq : 0;
          if (resumingFrom === undefined) {
            // A first connection (or a system without resume): live from here on.
            lastSeq = Math.max(lastSeq ?? 0, roomSeq);
            settle(options.resumes ? "resumed" : "no_resume");
          } else if (roomSeq <= resumingFrom) settle("resumed");
          else catchUpTo = roomSeq;
        }
      };
      current.on("message", (data) => {
        const receivedAt = performance.now();
        const text = String(data);
        receivedBytes += text.length;
        if (text === "pong") return;
        onFrame(JSON.parse(text) as ServerFrame, receivedAt);
      });
    });
  }

  await open();
  if (options.pingEveryMs)
    pinger = setInterval(() => {
      if (socket?.readyState === WebSocket.OPEN) socket.send("ping");
    }, options.pingEveryMs);
  return {
    send(body) {
      // `ws` drops a send on a closed socket silently: count it, so a dead sender shows.
      if (socket?.readyState !== WebSocket.OPEN)
        refusals.set("socket_closed", (refusals.get("socket_closed") ?? 0) + 1);
      else socket.send(JSON.stringify({ type: "send", clientId: randomUUID(), body }));
    },
    refusals,
    drop() {
      // Frames already in this process's buffers are lost with the connection.
      socket?.removeAllListeners("message");
      socket?.terminate();
    },
    reconnect: open,
    receivedBytes: () => receivedBytes,
    close() {
      clearInterval(pinger);
      socket?.terminate();
    },
  };
}
