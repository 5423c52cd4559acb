// The room's log in its Durable Object's SQLite: the outbox of messages not yet in
// Postgres plus a hot tail of recent ones for replay. The DO is the only writer, so `seq`
// is assigned here without gaps.
import type { ChatMessage, UserRef } from "../protocol/room-protocol.ts";

/** Keep at least this many recent messages for replay on reconnect. */
export const HOT_TAIL = 1_000;

export interface RoomInfo {
  id: string;
  name: string;
}

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  author_id: string;
  author_name: string;
  author_guest: number;
  body: string;
  client_id: string;
  created_at: number;
}

export class RoomLog {
  #seq: number;
  #room: RoomInfo | null;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        author_guest INTEGER NOT NULL,
        body TEXT NOT NULL,
        client_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        flushed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (author_id, client_id)
      );
      CREATE INDEX IF NOT EXISTS messages_unflushed ON messages (seq) WHERE flushed = 0;
    `);
    const stored = sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one().seq;
    this.#seq = Math.max(stored ?? 0, Number(this.#meta("floor_seq") ?? 0));
    const room = this.#meta("room");
    this.#room = room ? (JSON.parse(room) as RoomInfo) : null;
  }

  #meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }

  #setMeta(key: string, value: string): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  /** The room this log belongs to, once `initialise` has run. */
  get room(): RoomInfo | null {
    return this.#room;
  }

  /**
   * Records which room this is and the highest `seq` Postgres already holds for it, so a
   * log that starts empty (new object, lost local state) never reuses a sequence number.
   */
  initialise(room: RoomInfo, floorSeq: number): void {
    this.#setMeta("room", JSON.stringify(room));
    this.#setMeta("floor_seq", String(floorSeq));
    this.#room = room;
    this.#seq = Math.max(this.#seq, floorSeq);
  }

  get latestSeq(): number {
    return this.#seq;
  }

  oldestSeq(): number | null {
    return this.sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM messages").one().seq;
  }

  findByClientId(authorId: string, clientId: string): ChatMessage | null {
    const rows = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE author_id = ? AND client_id = ?", authorId, clientId)
      .toArray();
    return rows[0] ? this.#toMessage(rows[0]) : null;
  }

  append(author: UserRef, body: string, clientId: string, now: number): ChatMessage {
    const seq = this.#seq + 1;
    const id = crypto.randomUUID();
    this.sql.exec(
      `INSERT INTO messages (seq, id, author_id, author_name, author_guest, body, client_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      seq,
      id,
      author.id,
      author.name,
      author.guest ? 1 : 0,
      body,
      clientId,
      now,
    );
    this.#seq = seq;
    return {
      id,
      seq,
      roomId: this.#roomId(),
      author,
      body,
      createdAt: new Date(now).toISOString(),
      clientId,
    };
  }

  /** Messages with `seq` greater than `afterSeq`, oldest first. */
  after(afterSeq: number, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  /** Messages with `seq` below `beforeSeq`, newest first (a history page). */
  before(beforeSeq: number, limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", beforeSeq, limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  unflushed(limit: number): ChatMessage[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE flushed = 0 ORDER BY seq LIMIT ?", limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  hasUnflushed(): boolean {
    return this.sql.exec("SELECT 1 FROM messages WHERE flushed = 0 LIMIT 1").toArray().length > 0;
  }

  /**
   * Marks every unflushed message up to `lastSeq` as safely in Postgres (flushes go in
   * `seq` order, so that is exactly the batch just written) and trims the tail.
   */
  markFlushedThrough(lastSeq: number): void {
    this.sql.exec("UPDATE messages SET flushed = 1 WHERE flushed = 0 AND seq <= ?", lastSeq);
    this.sql.exec("DELETE FROM messages WHERE flushed = 1 AND seq <= ?", this.#seq - HOT_TAIL);
  }

  flushFailures(): number {
    return Number(this.#meta("flush_failures") ?? 0);
  }

  setFlushFailures(count: number): void {
    this.#setMeta("flush_failures", String(count));
  }

  #roomId(): string {
    return this.#room?.id ?? "";
  }

  #toMessage(row: MessageRow): ChatMessage {
    return {
      id: row.id,
      seq: row.seq,
      roomId: this.#roomId(),
      author: { id: row.author_id, name: row.author_name, guest: row.author_guest === 1 },
      body: row.body,
      createdAt: new Date(row.created_at).toISOString(),
      clientId: row.client_id,
    };
  }
}
