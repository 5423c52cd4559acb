// A sender-only client for Chattr's room socket (the persistence scenario): it opens the
// socket and sends without ever saying `hello`, so the room sends it no broadcasts, only
// the answers to its own sends (`ack` once the message is durable, or `error`).
import { WebSocket } from "../../lib/ws.ts";
import type { AckListener, SenderClient } from "./types.ts";

interface SenderFrame {
  type: string;
  clientId?: string;
  code?: string;
  frames?: SenderFrame[];
}

const CONNECT_TIMEOUT_MS = 30_000;

export async function connectFrameSender(
  url: string,
  headers: Record<string, string>,
  onAck: AckListener,
): Promise<SenderClient> {
  const socket = new WebSocket(url, { headers, perMessageDeflate: false });
  const refusals = new Map<string, number>();
  await new Promise<void>((resolve, reject) => {
    const timeout = setTimeout(
      () => reject(new Error(`${url} did not open within 30 s`)),
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
    socket.once("close", (code) => fail(new Error(`${url} closed before it opened (${code})`)));
    socket.once("open", () => {
      clearTimeout(timeout);
      resolve();
    });
  });
  socket.removeAllListeners("close");
  socket.removeAllListeners("error");
  // A socket that fails mid-run shows up as missing acks, not as a crash.
  socket.on("error", () => {});
  const onFrame = (frame: SenderFrame, receivedAt: number) => {
    if (frame.type === "batch") for (const inner of frame.frames ?? []) onFrame(inner, receivedAt);
    else if (frame.type === "ack" && typeof frame.clientId === "string") onAck(frame.clientId, receivedAt);
    else if (frame.type === "error")
      refusals.set(frame.code ?? "?", (refusals.get(frame.code ?? "?") ?? 0) + 1);
  };
  socket.on("message", (data) => {
    const receivedAt = performance.now();
    onFrame(JSON.parse(String(data)) as SenderFrame, receivedAt);
  });
  return {
    send(clientId, body) {
      socket.send(JSON.stringify({ type: "send", clientId, body }));
    },
    refusals,
    close() {
      socket.terminate();
    },
  };
}
