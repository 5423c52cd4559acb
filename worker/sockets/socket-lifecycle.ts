// What every Durable Object holding hibernating WebSockets does the same way (rooms and
// user hubs): closing without throwing, answering a peer's close, deciding when a socket
// has gone silent, and how long someone whose last socket closed still counts as here.
import type { Env } from "../env.ts";
import type { ParsedJsonFrame } from "../protocol/frame-parser.ts";
import { CloseCode } from "../protocol/room-protocol.ts";
import type { FrameBudget } from "./frame-budget.ts";

/** Sent once when a socket's frames start being dropped (the same in room and hub protocols). */
const OVER_BUDGET = JSON.stringify({
  type: "error",
  code: "rate_limited",
  message: "Too many frames: some were ignored. Slow down, or the connection will be closed.",
});

/**
 * Charges a frame to its socket's budget: true when it may be handled. Otherwise it is
 * dropped; the client hears it once (`rate_limited`), and a flood ends the socket (4008,
 * through `end` so the caller forgets it too).
 */
export function chargeFrame(
  ws: WebSocket,
  budget: FrameBudget,
  cost: number,
  now: number,
  end: (ws: WebSocket, code: number, reason: string) => void,
): boolean {
  const verdict = budget.take(cost, now);
  if (verdict === "allowed") return true;
  if (verdict === "cut_off") end(ws, CloseCode.RateLimited, "rate limited");
  else if (verdict === "refused") {
    try {
      ws.send(OVER_BUDGET);
    } catch {
      // closing: its close handler cleans up
    }
  }
  return false;
}

/** A socket with no ping and no frame for this long is dead, even without a close. */
export function presenceTimeoutMs(env: Env): number {
  return Number(env.PRESENCE_TIMEOUT_MS) || 60_000;
}

/**
 * Someone whose last socket closed still counts as here this long, in a room's list and to
 * their friends alike: a reload, or a phone that drops and reconnects, changes nobody's view.
 */
export function offlineGraceMs(env: Env): number {
  return Number(env.OFFLINE_GRACE_MS) || 2_000;
}

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

/**
 * The frame a client sent, or null after answering a bad one itself: a frame over the
 * size limit ends the socket (1009, through `end` so the caller forgets it too), any other
 * bad frame gets an `error` frame and the socket stays open.
 */
export function frameOrAnswer<T>(
  ws: WebSocket,
  parsed: ParsedJsonFrame<T>,
  end: (ws: WebSocket, code: number, reason: string) => void,
): T | null {
  if (parsed.kind === "too_large") {
    end(ws, CloseCode.FrameTooLarge, "frame too large");
    return null;
  }
  if (parsed.kind === "error") {
    ws.send(JSON.stringify({ type: "error", code: parsed.code, message: parsed.message }));
    return null;
  }
  return parsed.frame;
}
