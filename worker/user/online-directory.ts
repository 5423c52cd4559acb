// OnlineDirectory: one Durable Object for the whole app that knows who is online (accounts
// and guests), so the home page can say how many people are here, and how many are in the
// rooms everyone's list shows (#general, the lobby). Each UserHub reports its user's
// transitions and those rooms report their counts; changes are pushed to the online users'
// hubs at most once a second.
//
// Pushing to every online hub is O(online users) calls per second of churn: right for a
// small app. Past a few thousand people online this becomes a sharded counter whose
// total clients fetch; docs/DECISIONS.md says so.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

/** Changes are pushed at most this often. */
const PUSH_INTERVAL_MS = 1_000;

export class OnlineDirectory extends DurableObject<Env> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS online (user_id TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS pinned_rooms (room_id TEXT PRIMARY KEY, online INTEGER NOT NULL);
    `);
  }

  /** People in each room every list shows, as the rooms last said. */
  pinnedRooms(): Record<string, number> {
    const rooms: Record<string, number> = {};
    for (const row of this.#sql.exec<{ room_id: string; online: number }>("SELECT * FROM pinned_rooms"))
      rooms[row.room_id] = row.online;
    return rooms;
  }

  /** From #general and the lobby when who is there changes (worker/room/chat-room.ts). */
  async setRoomOnline(roomId: string, online: number): Promise<void> {
    const change = this.#sql.exec(
      "INSERT INTO pinned_rooms (room_id, online) VALUES (?, ?) ON CONFLICT (room_id) DO UPDATE SET online = excluded.online WHERE online != excluded.online",
      roomId,
      online,
    );
    if (change.rowsWritten === 0) return;
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + PUSH_INTERVAL_MS);
  }

  count(): number {
    return this.#sql.exec<{ n: number }>("SELECT count(*) AS n FROM online").one().n;
  }

  /** Which of these accounts are online now (the members panel asks for a room's members). */
  onlineAmong(userIds: string[]): string[] {
    const online: string[] = [];
    // Durable Object SQLite binds at most 100 parameters a statement.
    for (let start = 0; start < userIds.length; start += 100) {
      const chunk = userIds.slice(start, start + 100);
      const marks = chunk.map(() => "?").join(", ");
      for (const row of this.#sql.exec<{ user_id: string }>(
        `SELECT user_id FROM online WHERE user_id IN (${marks})`,
        ...chunk,
      ))
        online.push(row.user_id);
    }
    return online;
  }

  async setOnline(userId: string, online: boolean): Promise<void> {
    const change = online
      ? this.#sql.exec("INSERT OR IGNORE INTO online (user_id) VALUES (?)", userId)
      : this.#sql.exec("DELETE FROM online WHERE user_id = ?", userId);
    if (change.rowsWritten === 0) return;
    if ((await this.ctx.storage.getAlarm()) === null)
      await this.ctx.storage.setAlarm(Date.now() + PUSH_INTERVAL_MS);
  }

  override async alarm(): Promise<void> {
    const count = this.count();
    const rooms = this.pinnedRooms();
    const ids = this.#sql.exec<{ user_id: string }>("SELECT user_id FROM online").toArray();
    const results = await Promise.allSettled(
      ids.map(({ user_id }) =>
        this.env.USER_HUB.get(this.env.USER_HUB.idFromName(user_id)).onlineTotal(count, rooms),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected").length;
    if (failed > 0) console.warn(`online directory: ${failed} hubs did not take the new total`);
  }
}

export function onlineDirectory(env: Env) {
  return env.ONLINE_DIRECTORY.get(env.ONLINE_DIRECTORY.idFromName("global"));
}
