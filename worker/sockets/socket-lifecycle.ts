// What every Durable Object holding hibernating WebSockets does the same way (rooms and
// user hubs): closing without throwing, answering a peer's close, and deciding when a
// socket has gone silent.
import { CloseCode } from "../protocol/room-protocol.ts";

/** Closes from this side; a socket that is already closing is left alone. */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // already closing
  }
}

/** Completes the closing handshake. 1005 and 1006 may be received but never sent. */
export function answerClose(ws: WebSocket, code: number): void {
  closeQuietly(ws, code === 1005 || code === 1006 ? CloseCode.Normal : code, "closing");
}

/**
 * Whether a socket has been silent for longer than `timeoutMs`: no ping answered by the
 * runtime (which needs no wake-up), no frame, since it opened.
 */
export function isSilent(
  ctx: DurableObjectState,
  ws: WebSocket,
  heard: { lastFrameAt: number | undefined; connectedAt: number },
  now: number,
  timeoutMs: number,
): boolean {
  const pingedAt = ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0;
  return now - Math.max(pingedAt, heard.lastFrameAt ?? 0, heard.connectedAt) > timeoutMs;
}
