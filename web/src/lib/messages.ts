// Pure helpers for the message list: confirmed messages are kept sorted by seq without
// duplicates, whichever way they arrive (history page, replay, live frame).
import type { ChatMessage, UserRef } from "../../../worker/protocol/room-protocol.ts";

/** A message this user sent that the room has not echoed back yet. */
export interface PendingMessage {
  clientId: string;
  author: UserRef;
  body: string;
  /** Local time of sending, ISO 8601. */
  createdAt: string;
  /**
   * `waiting`: not connected, goes out once the room answers; `sending`: sent, no ack yet;
   * `sent`: acked (durable), its echo not seen yet; `failed`: refused for good (the
   * person retries or discards it).
   */
  status: "waiting" | "sending" | "sent" | "failed";
  /** Why the room refused it (`failed` only). */
  error?: string;
}

/** Merges `incoming` into `existing` (both ascending by seq); the result is ascending and unique. */
export function mergeMessages(
  existing: readonly ChatMessage[],
  incoming: readonly ChatMessage[],
): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const last = existing.at(-1);
  // The common case, one live message after the newest we hold, needs no sorting.
  if (incoming.length === 1 && incoming[0] && (!last || incoming[0].seq > last.seq)) {
    return [...existing, incoming[0]];
  }
  const bySeq = new Map<number, ChatMessage>();
  for (const message of existing) bySeq.set(message.seq, message);
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Whether two copies of a confirmed message show the same (a replay brings new objects). */
export function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a === b ||
    (a.seq === b.seq &&
      a.body === b.body &&
      a.createdAt === b.createdAt &&
      a.author.id === b.author.id &&
      a.author.name === b.author.name &&
      a.author.guest === b.author.guest)
  );
}
