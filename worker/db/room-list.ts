// The room list in one query per part, from what each room pushed (room_activity) and the
// reader's marks (room_members): no call to any room, however many there are.
import { type SQL, sql } from "drizzle-orm";
import type { RoomVisibility } from "../access/room-access.ts";
import type { Database } from "./client.ts";
import type { RoomListCursor } from "./room-list-cursor.ts";

export interface ListedRoom {
  id: string;
  name: string;
  visibility: RoomVisibility;
  /** People there now, as the room last pushed it (0 once its push is older than `onlineSince`). */
  online: number;
  /** Messages after the reader's read mark, or since they joined a room they never read. */
  unread: number;
  /** ISO 8601; the latest message, null for a room without any (the list's order). */
  latestAt: string | null;
}

interface Row extends Record<string, unknown> {
  id: string;
  name: string;
  visibility: RoomVisibility;
  online: string | number;
  unread: string | number;
  latest_at: string | Date | null;
  sort_at: string | number;
}

/** The rooms every list starts with, in this order. */
const PINNED = sql`('general', 'lobby')`;

function columns(userId: string | null, onlineSince: Date): SQL {
  return sql`
    r.id, r.name, r.visibility,
    case when a.updated_at > ${onlineSince.toISOString()}::timestamptz then a.online else 0 end as online,
    case when rm.user_id is null then 0
      else greatest(0, coalesce(a.latest_seq, 0) - greatest(rm.read_seq, rm.joined_seq)) end as unread,
    a.latest_at,
    (extract(epoch from coalesce(a.latest_at, r.created_at)) * 1000000)::bigint as sort_at
    from rooms r
    left join room_activity a on a.room_id = r.id
    left join room_members rm on rm.room_id = r.id and rm.user_id = ${userId}::uuid`;
}

const activityOrder = sql`coalesce(a.latest_at, r.created_at) desc, r.id desc`;

function listed(row: Row): ListedRoom {
  return {
    id: row.id,
    name: row.name,
    visibility: row.visibility,
    online: Number(row.online),
    unread: Number(row.unread),
    latestAt: row.latest_at === null ? null : new Date(row.latest_at).toISOString(),
  };
}

/** The built-in rooms and every room the person belongs to (private, direct, public joined). */
export async function listOwnRooms(
  db: Database,
  userId: string | null,
  onlineSince: Date,
): Promise<ListedRoom[]> {
  const result = await db.execute<Row>(sql`
    select ${columns(userId, onlineSince)}
    where r.id in ${PINNED} or rm.user_id is not null
    order by (r.id in ${PINNED}) desc, r.id = 'general' desc, ${activityOrder}`);
  return result.rows.map(listed);
}

/**
 * One page of the public rooms, most recently active first (the person's own among them:
 * the caller drops those its first page already lists; excluding them here would lose a
 * room the person joined between this query and `listOwnRooms`),
 * after `cursor`, whose names contain `filter` (any case). `next` is where the following
 * page starts, or null after the last.
 */
export async function listPublicPage(
  db: Database,
  options: {
    userId: string | null;
    onlineSince: Date;
    filter: string | undefined;
    cursor: RoomListCursor | null;
    limit: number;
  },
): Promise<{ rooms: ListedRoom[]; next: RoomListCursor | null }> {
  const { userId, onlineSince, filter, cursor, limit } = options;
  const conditions = [sql`r.visibility = 'public'`, sql`r.id not in ${PINNED}`];
  if (filter) conditions.push(sql`r.name ilike ${`%${filter.replace(/[\\%_]/g, "\\$&")}%`}`);
  if (cursor) {
    conditions.push(
      sql`((extract(epoch from coalesce(a.latest_at, r.created_at)) * 1000000)::bigint, r.id) < (${cursor.at}::bigint, ${cursor.id})`,
    );
  }
  const result = await db.execute<Row>(sql`
    select ${columns(userId, onlineSince)}
    where ${sql.join(conditions, sql` and `)}
    order by ${activityOrder}
    limit ${limit + 1}`);
  const rows = result.rows.slice(0, limit);
  const last = rows.at(-1);
  const next = result.rows.length > limit && last ? { at: Number(last.sort_at), id: last.id } : null;
  return { rooms: rows.map(listed), next };
}

/** What a room pushes about itself (worker/room/chat-room.ts, with its flushes). */
export async function saveRoomActivity(
  db: Database,
  activity: { roomId: string; online: number; latestSeq: number; latestAt: Date | null },
): Promise<void> {
  const { roomId, online, latestSeq } = activity;
  const latestAt = activity.latestAt?.toISOString() ?? null;
  await db.execute(sql`
    insert into room_activity (room_id, online, latest_seq, latest_at, updated_at)
    values (${roomId}, ${online}, ${latestSeq}, ${latestAt}::timestamptz, now())
    on conflict (room_id) do update set
      online = excluded.online,
      latest_seq = greatest(room_activity.latest_seq, excluded.latest_seq),
      latest_at = coalesce(excluded.latest_at, room_activity.latest_at),
      updated_at = now()`);
}
