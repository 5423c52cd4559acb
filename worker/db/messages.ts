// Writing a room's messages to Postgres: one statement per flush, whatever its size.
import { sql } from "drizzle-orm";
import type { ChatMessage } from "../protocol/room-protocol.ts";
import type { Database } from "./client.ts";

/**
 * Inserts `batch` into `messages`, skipping rows whose (room_id, seq) is already there, so
 * a batch written just before a crash is simply skipped the next time.
 *
 * The rows travel as nine array parameters unnested by Postgres, not as nine parameters
 * per row: the statement and its parameter list stay the same size for 1 row or 500, so
 * building, sending and parsing it costs the room (whose thread also serves its sockets)
 * almost nothing per row.
 */
export async function insertMessages(
  db: Database,
  roomId: string,
  batch: readonly ChatMessage[],
): Promise<void> {
  if (batch.length === 0) return;
  const column = <T>(pick: (message: ChatMessage) => T) => sql.param(batch.map(pick));
  await db.execute(sql`
    INSERT INTO messages (id, room_id, seq, author_id, author_name, author_guest, body, client_id, created_at)
    SELECT * FROM unnest(
      ${column((m) => m.id)}::uuid[],
      ${column(() => roomId)}::text[],
      ${column((m) => m.seq)}::bigint[],
      ${column((m) => m.author.id)}::text[],
      ${column((m) => m.author.name)}::text[],
      ${column((m) => m.author.guest)}::boolean[],
      ${column((m) => m.body)}::text[],
      ${column((m) => m.clientId)}::text[],
      ${column((m) => m.createdAt)}::timestamptz[]
    )
    ON CONFLICT DO NOTHING`);
}
