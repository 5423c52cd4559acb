// What a room tells each member's hub about itself (`room_activity`): how many messages they
// have not read, the latest message and who is here. Pure: the room supplies the members
// (from Postgres), their read marks (its own receipts) and the latest state; this decides who
// needs a frame, so a member whose counts did not move hears nothing.
import type { RoomActivity } from "../protocol/hub-protocol.ts";

export interface MemberMark {
  userId: string;
  /** The room's latest seq when they joined: a room never opened is unread from here. */
  joinedSeq: number;
}

export interface RoomNow {
  roomId: string;
  latestSeq: number;
  latestAt: Date | null;
  online: number;
}

/** Messages after `readSeq`, or after `joinedSeq` for someone who never read here. */
export function unreadCount(latestSeq: number, joinedSeq: number, readSeq: number): number {
  return Math.max(0, latestSeq - Math.max(joinedSeq, readSeq));
}

export class ActivityFanout {
  /** What each member was last told, so an unchanged count is not sent again. */
  #told = new Map<string, string>();

  /**
   * The frames to send now: one per member whose view of the room changed since the last
   * call. `members` is the whole set to tell (those online); anyone not in it is forgotten,
   * so they hear the room afresh when they come back.
   */
  due(
    now: RoomNow,
    members: readonly MemberMark[],
    readSeq: (userId: string) => number,
  ): { userId: string; activity: RoomActivity }[] {
    const out: { userId: string; activity: RoomActivity }[] = [];
    const told = new Map<string, string>();
    for (const member of members) {
      const activity = this.#activity(
        now,
        unreadCount(now.latestSeq, member.joinedSeq, readSeq(member.userId)),
      );
      const key = keyOf(activity);
      told.set(member.userId, key);
      if (this.#told.get(member.userId) !== key) out.push({ userId: member.userId, activity });
    }
    this.#told = told;
    return out;
  }

  /**
   * One member's frame after they read here (their other tabs clear the badge), or null when
   * they were told exactly this already. Members not told before are told: a reader of a
   * public room becomes a member with their first read.
   */
  dueFor(now: RoomNow, userId: string, unread: number): RoomActivity | null {
    const activity = this.#activity(now, unread);
    const key = keyOf(activity);
    if (this.#told.get(userId) === key) return null;
    this.#told.set(userId, key);
    return activity;
  }

  #activity(now: RoomNow, unread: number): RoomActivity {
    return {
      roomId: now.roomId,
      unread,
      latestSeq: now.latestSeq,
      latestAt: now.latestAt?.toISOString() ?? null,
      online: now.online,
    };
  }
}

function keyOf(a: RoomActivity): string {
  return `${a.unread}:${a.latestSeq}:${a.online}`;
}
