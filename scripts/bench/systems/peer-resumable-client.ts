// The peer's client for the reconnect storm (scenario 3): peer-client.ts's client, plus
// `drop` (terminate the WebSocket under Socket.IO, no close handshake) and `reconnect`,
// which reconnects the same Socket.IO socket so that it offers its session id and the
// offset of the last packet it got: Socket.IO's Connection State Recovery (peer-server.ts
// enables it). On a recovered connection the server sends the missed packets before the
// CONNECT packet, and the client hands them to listeners before its `connect` event, so at
// `connect` with `socket.recovered` the client is caught up. When Socket.IO cannot recover
// (session unknown or offset too old), the client joins the room afresh: `not_recovered`.
import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { PeerClientToServer, PeerServerToClient } from "./peer-protocol.ts";
import type { DeliveryListener, ResumableClient } from "./types.ts";

const CONNECT_TIMEOUT_MS = 30_000;

type PeerSocket = Socket<PeerServerToClient, PeerClientToServer>;

/** The `ws` WebSocket under the engine's current transport (Node's engine.io-client uses `ws`). */
interface RawWebSocket {
  onmessage: unknown;
  terminate(): void;
}

export async function connectResumablePeerClient(
  baseUrl: string,
  cookie: string,
  roomId: string,
  onDelivery: DeliveryListener,
): Promise<ResumableClient> {
  const socket: PeerSocket = io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { Cookie: cookie },
    forceNew: true,
    // The bench reconnects itself, at once, when it dropped the connection.
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  const refusals = new Map<string, number>();
  let receivedBytes = 0;
  const countBytes = (data: unknown) => {
    receivedBytes +=
      typeof data === "string" ? data.length : ((data as { byteLength?: number }).byteLength ?? 0);
  };
  // Each connection has its own engine: count what each one receives once open (the
  // first opens after this returns).
  socket.io.on("open", () => socket.io.engine.on("data", countBytes));
  socket.on("message", (frame) => {
    const receivedAt = performance.now();
    if (typeof frame.body === "string") onDelivery(frame.body, receivedAt);
  });

  /** Resolves once connected (a fresh session joins the room first); `recovered` tells which. */
  function connected(): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const timeout = setTimeout(
        () => done(new Error(`no connection to ${baseUrl} within 30 s`)),
        CONNECT_TIMEOUT_MS,
      );
      // A client closed while reconnecting never connects: its timer must not hold the process.
      timeout.unref();
      const done = (error: Error | null, recovered = false) => {
        clearTimeout(timeout);
        socket.off("connect", onConnect);
        socket.off("connect_error", onError);
        if (error) reject(error);
        else resolve(recovered);
      };
      const onError = (error: Error) => done(new Error(`${baseUrl} refused the socket: ${error.message}`));
      const onConnect = () => {
        if (socket.recovered) return done(null, true);
        // A new session: join the room (a recovered one is still in it).
        socket.emit("hello", roomId, (answer) => {
          if (answer.type === "ready") done(null, false);
          else done(new Error(`${baseUrl}: could not join ${roomId} (${answer.code})`));
        });
      };
      socket.on("connect", onConnect);
      socket.on("connect_error", onError);
      if (socket.connected) onConnect();
    });
  }

  try {
    await connected();
  } catch (error) {
    socket.disconnect();
    throw error;
  }

  /** Settles once the client has noticed its dropped connection. */
  let disconnected: Promise<void> = Promise.resolve();
  return {
    send(body) {
      socket.emit("send", { clientId: randomUUID(), body }, (answer) => {
        if (answer.type === "error") refusals.set(answer.code, (refusals.get(answer.code) ?? 0) + 1);
      });
    },
    refusals,
    drop() {
      disconnected = new Promise((resolve) => socket.once("disconnect", () => resolve()));
      const raw = (socket.io.engine?.transport as unknown as { ws?: RawWebSocket } | undefined)?.ws;
      if (!raw) throw new Error("the peer client has no WebSocket to drop");
      // Frames already in this process's buffers are lost with the connection.
      raw.onmessage = null;
      raw.terminate();
    },
    async reconnect() {
      await disconnected;
      const recovered = connected();
      socket.connect();
      return (await recovered) ? "resumed" : "not_recovered";
    },
    receivedBytes: () => receivedBytes,
    close() {
      socket.disconnect();
    },
  };
}
