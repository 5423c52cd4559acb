// A sender-only client for the peer (the persistence scenario): it picks its room with
// `attach` instead of `hello`, so it is not in the Socket.IO room and gets no broadcasts,
// only the acknowledgements of its own sends, as a Chattr socket that never said `hello`.
import { io, type Socket } from "socket.io-client";
import type { PeerClientToServer, PeerServerToClient } from "./peer-protocol.ts";
import type { AckListener, SenderClient } from "./types.ts";

const CONNECT_TIMEOUT_MS = 30_000;

export async function connectPeerSender(
  baseUrl: string,
  cookie: string,
  roomId: string,
  onAck: AckListener,
): Promise<SenderClient> {
  const socket: Socket<PeerServerToClient, PeerClientToServer> = io(baseUrl, {
    transports: ["websocket"],
    extraHeaders: { Cookie: cookie },
    forceNew: true,
    reconnection: false,
    timeout: CONNECT_TIMEOUT_MS,
  });
  const refusals = new Map<string, number>();
  try {
    await new Promise<void>((resolve, reject) => {
      const timeout = setTimeout(
        () => reject(new Error(`no answer from ${baseUrl} within 30 s`)),
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
      socket.emit("attach", roomId, (answer) => {
        clearTimeout(timeout);
        if (answer.type === "ready") resolve();
        else reject(new Error(`${baseUrl}: could not attach to ${roomId} (${answer.code})`));
      });
    });
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  socket.off("connect_error");
  socket.off("disconnect");
  return {
    send(clientId, body) {
      socket.emit("send", { clientId, body }, (answer) => {
        // The time first, before anything else runs.
        const receivedAt = performance.now();
        if (answer.type === "ack") onAck(answer.clientId, receivedAt);
        else refusals.set(answer.code, (refusals.get(answer.code) ?? 0) + 1);
      });
    },
    refusals,
    close() {
      socket.disconnect();
    },
  };
}
