// Receipts on this user's own messages, from the members' high-water marks, shown without
// noise: in a direct room, Sent / Delivered / Read on my last message only; in a group,
// "Seen by N" on the last message of mine that others have read up to (and, while nobody
// has read my last message yet, Sent / Delivered on that one). Pure logic, unit-tested.
import type { Receipt } from "../../../worker/protocol/room-protocol.ts";

export type TickStatus = "sent" | "delivered" | "read";

/** Merges a receipt into the list; marks never move backwards, whatever order frames arrive in. */
export function mergeReceipt(receipts: readonly Receipt[], incoming: Receipt): Receipt[] {
  const index = receipts.findIndex((r) => r.userId === incoming.userId);
  if (index === -1)
    return [...receipts, { ...incoming, delivered: Math.max(incoming.delivered, incoming.read) }];
  const old = receipts[index] as Receipt;
  const read = Math.max(old.read, incoming.read);
  const merged: Receipt = {
    userId: old.userId,
    name: incoming.name || old.name,
    read,
    delivered: Math.max(old.delivered, incoming.delivered, read),
  };
  if (merged.read === old.read && merged.delivered === old.delivered && merged.name === old.name) {
    return receipts as Receipt[];
  }
  const next = [...receipts];
  next[index] = merged;
  return next;
}

/** Members other than `meId` who have read the message with this seq, by name. */
export function readersOf(seq: number, receipts: readonly Receipt[], meId: string): Receipt[] {
  return receipts
    .filter((r) => r.userId !== meId && r.read >= seq)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Where an acked message of mine stands: read by someone else, delivered to someone else, or sent. */
export function tickStatus(seq: number, receipts: readonly Receipt[], meId: string): TickStatus {
  let delivered = false;
  for (const r of receipts) {
    if (r.userId === meId) continue;
    if (r.read >= seq) return "read";
    if (r.delivered >= seq) delivered = true;
  }
  return delivered ? "delivered" : "sent";
}

/** What the receipt says, for the text beside its icon. */
export function statusLabel(status: TickStatus): string {
  return status === "read" ? "Read" : status === "delivered" ? "Delivered" : "Sent";
}

/** A receipt shown under one message: where it stands, or who has seen it. */
export type ReceiptMark = { kind: "status"; status: TickStatus } | { kind: "seen"; readers: Receipt[] };

/** Whether two marks show the same thing (the list makes new ones on every change of receipts). */
export function sameMark(a: ReceiptMark | undefined, b: ReceiptMark | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.kind === "status") return b.kind === "status" && a.status === b.status;
  if (b.kind === "status") return false;
  return (
    a.readers.length === b.readers.length &&
    a.readers.every((r, i) => r.userId === b.readers[i]?.userId && r.name === b.readers[i]?.name)
  );
}

/**
 * Which of my confirmed messages carry a receipt, by seq: at most two in a group, one in
 * a direct room. `messages` ascending by seq.
 */
export function receiptMarks(
  messages: readonly { seq: number; author: { id: string } }[],
  receipts: readonly Receipt[],
  meId: string,
  direct: boolean,
): Map<number, ReceiptMark> {
  const marks = new Map<number, ReceiptMark>();
  const mine = messages.filter((m) => m.author.id === meId);
  const last = mine.at(-1);
  if (!last) return marks;
  if (direct) {
    marks.set(last.seq, { kind: "status", status: tickStatus(last.seq, receipts, meId) });
    return marks;
  }
  // The furthest anyone else has read, and my last message at or before it.
  const furthest = Math.max(0, ...receipts.filter((r) => r.userId !== meId).map((r) => r.read));
  const seen = mine.findLast((m) => m.seq <= furthest);
  if (seen) marks.set(seen.seq, { kind: "seen", readers: readersOf(seen.seq, receipts, meId) });
  if (seen !== last) marks.set(last.seq, { kind: "status", status: tickStatus(last.seq, receipts, meId) });
  return marks;
}

/**
 * A high-water mark sent to the room (`delivered` or `read`): remembers what was sent so
 * it is never repeated or lowered, and what is wanted next.
 */
export class MarkSender {
  #sent = 0;
  #wanted = 0;

  get sent(): number {
    return this.#sent;
  }

  /** Wants the room to know `seq`; returns whether that is news. */
  want(seq: number): boolean {
    if (seq <= this.#wanted) return false;
    this.#wanted = seq;
    return this.#wanted > this.#sent;
  }

  /** The room already knows `seq` (e.g. from `ready`'s receipts). */
  known(seq: number): void {
    if (seq > this.#sent) this.#sent = seq;
  }

  /** The seq to send now, or null when the room is up to date. */
  due(): number | null {
    return this.#wanted > this.#sent ? this.#wanted : null;
  }

  /** Call after `due()`'s seq went out. */
  confirm(seq: number): void {
    this.known(seq);
  }
}
