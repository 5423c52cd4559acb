// UserHub: one Durable Object per account. For now it is the authority on which sessions
// of the account are still valid (a version number that a password change bumps), and it
// knows which rooms hold the account's live sockets, so ending sessions reaches them.
// Friends' presence and invitations (issue 5) will live here too.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export class UserHub extends DurableObject<Env> {
  readonly #sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS open_rooms (room_id TEXT PRIMARY KEY);
    `);
  }

  /** Sessions issued with an older version than this no longer count. */
  sessionVersion(): number {
    return (
      this.#sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = 'session_version'").toArray()[0]
        ?.value ?? 0
    );
  }

  /**
   * Ends every session of the account but `keepSessionId`: bumps the version (so their
   * cookies stop working at once) and closes their sockets in every room. Returns the new
   * version, for the kept session's fresh cookie.
   */
  async endOtherSessions(userId: string, keepSessionId: string): Promise<number> {
    const version = this.sessionVersion() + 1;
    this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('session_version', ?)", version);
    const rooms = this.#sql.exec<{ room_id: string }>("SELECT room_id FROM open_rooms").toArray();
    await Promise.allSettled(
      rooms.map(({ room_id }) =>
        this.env.CHAT_ROOM.get(this.env.CHAT_ROOM.idFromName(room_id)).endSessions(userId, keepSessionId),
      ),
    );
    return version;
  }

  /** A room tells the hub when the account's first socket opens there, and its last closes. */
  roomOpened(roomId: string): void {
    this.#sql.exec("INSERT OR IGNORE INTO open_rooms (room_id) VALUES (?)", roomId);
  }

  roomClosed(roomId: string): void {
    this.#sql.exec("DELETE FROM open_rooms WHERE room_id = ?", roomId);
  }
}

export function userHub(env: Env, userId: string) {
  return env.USER_HUB.get(env.USER_HUB.idFromName(userId));
}
