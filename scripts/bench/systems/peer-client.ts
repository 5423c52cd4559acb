// The bench client for the peer: the same BenchClient as frame-client.ts, on socket.io-client
// (WebSocket transport only). Joins with `hello`, waits for its `ready` acknowledgement,
// reports each `message` event's body with its arrival time, and counts refused sends.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { PeerClientToServer, PeerServerToClient } from "./peer-protocol.ts";
import type { BenchClient, DeliveryListener } from "./types.ts";

const CONNECT_TIMEOUT_MS = 30_000;

export async function connectPeerClient(
  baseUrl: string,
  cookie: string,
  roomId: string,
  onDelivery: DeliveryListener,
): Promise<BenchClient> {
  const socket: Socket<PeerServerToClient, PeerClientToServer> = io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { Cookie: cookie },
    // One WebSocket per bench client: by default io() shares one connection per URL.
    forceNew: true,
    // A dropped socket must show up as missing deliveries, not be hidden by a reconnect.
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  const refusals = new Map<string, number>();
  const refuse = (code: string) => refusals.set(code, (refusals.get(code) ?? 0) + 1);
  try {
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`no ready from ${baseUrl} within 30 s`)),
        CONNECT_TIMEOUT_MS,
      );
      const fail = (error: Error) => {
        clearTimeout(timeout);
        reject(error);
      };
      socket.once("connect_error", (error) =>
        fail(new Error(`${baseUrl} refused the socket: ${error.message}`)),
      );
      socket.once("disconnect", (reason) => fail(new Error(`${baseUrl} closed before ready (${reason})`)));
      socket.on("message", (frame) => {
        // Time first: Socket.IO has already parsed the frame, which frame-client does after.
        const receivedAt = performance.now();
        if (typeof frame.body === "string") onDelivery(frame.body, receivedAt);
      });
      // Sent once connected (Socket.IO buffers emits until then).
      socket.emit("hello", roomId, (answer) => {
        clearTimeout(timeout);
        if (answer.type === "ready") resolve();
        else reject(new Error(`${baseUrl}: could not join ${roomId} (${answer.code})`));
      });
    });
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  socket.off("connect_error");
  socket.off("disconnect");
  return {
    send(body) {
      socket.emit("send", { clientId: randomUUID(), body }, (answer) => {
        if (answer.type === "error") refuse(answer.code);
      });
    },
    refusals,
    close() {
      socket.disconnect();
    },
  };
}
