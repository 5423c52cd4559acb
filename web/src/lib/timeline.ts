// How the conversation is laid out: day dividers, the "New messages" line, and messages
// grouped by author: a run by one person within GROUP_WINDOW_MS of the run's first message
// shares one header (avatar, name, time). Pure logic, unit-tested in Node.
import { dayThisYear, dayWithYear } from "./date-formats.ts";

export interface TimelineItem {
  /** Unique in the list (confirmed messages by seq, pending ones by clientId). */
  key: string;
  authorId: string;
  /** ISO 8601. */
  createdAt: string;
  /** Confirmed messages only. */
  seq?: number | undefined;
}

export type TimelineEntry<T> =
  | { kind: "day"; key: string; label: string }
  | { kind: "unread"; key: string }
  | {
      kind: "message";
      key: string;
      item: T;
      /** First of a run by one author within GROUP_WINDOW_MS: shows the avatar, author and time. */
      startsGroup: boolean;
    };

/**
 * How long after a header a person's next messages still sit under it. Measured from the
 * header, not from the previous message, so the time shown is never more than this off.
 */
export const GROUP_WINDOW_MS = 5 * 60_000;

function localDay(date: Date): string {
  return `${date.getFullYear()}-${date.getMonth()}-${date.getDate()}`;
}

/** "Today", "Yesterday", or the date (with the year when it is not this year). */
export function dayLabel(date: Date, now: Date): string {
  if (localDay(date) === localDay(now)) return "Today";
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (localDay(date) === localDay(yesterday)) return "Yesterday";
  return (date.getFullYear() === now.getFullYear() ? dayThisYear() : dayWithYear()).format(date);
}

export interface TimelineOptions {
  meId: string;
  /** The read mark when the room was opened: the "New messages" line goes before the first later message from someone else. */
  readAtOpen: number | null;
  now: Date;
}

export function buildTimeline<T extends TimelineItem>(
  items: readonly T[],
  options: TimelineOptions,
): TimelineEntry<T>[] {
  const entries: TimelineEntry<T>[] = [];
  // 0 means never read: everything would be "new", which says nothing.
  const readMark = options.readAtOpen ?? 0;
  let unreadPlaced = readMark === 0;
  let previous: { authorId: string; day: string } | undefined;
  /** When the current group's header was written. */
  let groupStart = 0;
  for (const item of items) {
    const date = new Date(item.createdAt);
    const day = localDay(date);
    const time = date.getTime();
    let brokeGroup = previous === undefined || previous.day !== day;
    if (brokeGroup) {
      entries.push({ kind: "day", key: `day-${day}`, label: dayLabel(date, options.now) });
    }
    if (!unreadPlaced && item.seq !== undefined && item.seq > readMark && item.authorId !== options.meId) {
      entries.push({ kind: "unread", key: "unread" });
      unreadPlaced = true;
      brokeGroup = true;
    }
    const startsGroup =
      brokeGroup ||
      previous === undefined ||
      previous.authorId !== item.authorId ||
      !(time - groupStart >= 0 && time - groupStart < GROUP_WINDOW_MS);
    if (startsGroup) groupStart = time;
    entries.push({ kind: "message", key: item.key, item, startsGroup });
    previous = { authorId: item.authorId, day };
  }
  return entries;
}

/** Messages from others after this user's read mark: the tab title's and the jump button's count. */
export function countUnseen(
  messages: readonly { seq: number; author: { id: string } }[],
  readUpTo: number,
  meId: string,
): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (!message || message.seq <= readUpTo) break;
    if (message.author.id !== meId) count += 1;
  }
  return count;
}
