// OnlineDirectory: one Durable Object for the whole app that knows which accounts are
// online, so the home page can say how many people are here. Each UserHub reports its
// user's transitions; changes are pushed to the online users' hubs at most once a second.
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
    this.#sql.exec("CREATE TABLE IF NOT EXISTS online (user_id TEXT PRIMARY KEY)");
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
    const ids = this.#sql.exec<{ user_id: string }>("SELECT user_id FROM online").toArray();
    const results = await Promise.allSettled(
      ids.map(({ user_id }) =>
        this.env.USER_HUB.get(this.env.USER_HUB.idFromName(user_id)).onlineTotal(count),
      ),
    );
    const failed = results.filter((r) => r.status === "rejected").length;
    if (failed > 0) console.warn(`online directory: ${failed} hubs did not take the new total`);
  }
}

export function onlineDirectory(env: Env) {
  return env.ONLINE_DIRECTORY.get(env.ONLINE_DIRECTORY.idFromName("global"));
}
