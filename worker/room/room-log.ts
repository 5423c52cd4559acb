// The room's log in its Durable Object's SQLite: the outbox of messages not yet in
// Postgres plus a hot tail of recent ones for replay. The DO is the only writer, so `seq`
// is assigned here without gaps.
import type { RoomVisibility } from "../access/room-access.ts";
import type { ChatMessage, Receipt, UserRef } from "../protocol/room-protocol.ts";

/** Keep at least this many recent messages for replay on reconnect. */
export const HOT_TAIL = 1_000;
/** How long a sender's clientId is remembered for exactly-once retries. */
export const RETRY_MEMORY_MS = 30 * 24 * 60 * 60 * 1000;
/** Expired clientIds are looked for at most this often (they only need to go eventually). */
const SENT_EXPIRY_CHECK_MS = 10 * 60 * 1000;

export interface Ack {
  clientId: string;
  seq: number;
  id: string;
  createdAt: string;
}

export interface RoomInfo {
  id: string;
  name: string;
  visibility: RoomVisibility;
  ownerId: string | null;
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
  /** Every message up to this seq is in Postgres (flushes go in seq order). */
  #flushedSeq: number;
  /** When sent's expired records were last deleted (memory only: after a wake-up, again once). */
  #sentExpiredAt = 0;
  #room: RoomInfo | null;
  #flushFailures: number | undefined;
  /**
   * The last answer of `receipts(limit)`: every `ready` sends it, and it changes only when
   * a mark moves (this log is the only writer).
   */
  #topReceipts: { limit: number; receipts: Receipt[] } | null = null;

  /**
   * Whether this object's SQLite has the log's tables. They are created only once the room
   * is found in Postgres (`initialise`): every well-formed id names an object, and one that
   * only answered "no such room" must keep nothing (issue 15: 200 GETs of random ids had
   * left 600 storage files behind).
   */
  #hasTables: boolean;

  constructor(private readonly sql: SqlStorage) {
    this.#hasTables =
      sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
    this.#seq = 0;
    this.#flushedSeq = 0;
    this.#room = null;
    if (!this.#hasTables) return;
    createTables(sql);
    const stored = sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one().seq;
    const floorSeq = Number(this.#meta("floor_seq") ?? 0);
    this.#seq = Math.max(stored ?? 0, floorSeq);
    this.#flushedSeq = Number(this.#meta("flushed_seq") ?? this.#flushedSeqBeforeTheMark(floorSeq));
    const room = this.#meta("room");
    const parsed = room ? (JSON.parse(room) as Partial<RoomInfo>) : null;
    // Rooms opened before visibility was recorded are looked up again.
    this.#room = parsed?.visibility ? (parsed as RoomInfo) : null;
  }

  /** For a log written when each row had its own `flushed` flag: the last seq before the first unflushed row. */
  #flushedSeqBeforeTheMark(floorSeq: number): number {
    const row = this.sql
      .exec<{ first: number | null; last: number | null }>(
        "SELECT MIN(seq) FILTER (WHERE flushed = 0) AS first, MAX(seq) AS last FROM messages",
      )
      .one();
    return row.first !== null ? row.first - 1 : Math.max(row.last ?? 0, floorSeq);
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
    if (!this.#hasTables) {
      createTables(this.sql);
      this.#hasTables = true;
    }
    this.#setMeta("room", JSON.stringify(room));
    this.#setMeta("floor_seq", String(floorSeq));
    this.#room = room;
    this.#seq = Math.max(this.#seq, floorSeq);
    // Postgres already has everything up to floorSeq.
    this.#setFlushedSeq(Math.max(this.#flushedSeq, floorSeq));
  }

  rename(name: string): void {
    if (!this.#room) return;
    this.#room = { ...this.#room, name };
    this.#setMeta("room", JSON.stringify(this.#room));
  }

  // ---- members (private rooms) ------------------------------------------------------

  isKnownMember(userId: string): boolean {
    if (!this.#hasTables) return false;
    return this.sql.exec("SELECT 1 FROM members WHERE user_id = ?", userId).toArray().length > 0;
  }

  /** Remembered only once the log exists: before that, membership is asked of Postgres anyway. */
  addMember(userId: string): void {
    if (!this.#hasTables) return;
    this.sql.exec("INSERT OR IGNORE INTO members (user_id) VALUES (?)", userId);
  }

  removeMember(userId: string): void {
    if (!this.#hasTables) return;
    this.sql.exec("DELETE FROM members WHERE user_id = ?", userId);
  }

  get latestSeq(): number {
    return this.#seq;
  }

  oldestSeq(): number | null {
    if (!this.#hasTables) return null;
    return this.sql.exec<{ seq: number | null }>("SELECT MIN(seq) AS seq FROM messages").one().seq;
  }

  /** The original ack for a sender's clientId, from the tail or from the trimmed record. */
  findAck(authorId: string, clientId: string): Ack | null {
    const rows = this.sql
      .exec<{ seq: number; id: string; created_at: number }>(
        `SELECT seq, id, created_at FROM messages WHERE author_id = ?1 AND client_id = ?2
         UNION ALL SELECT seq, id, created_at FROM sent WHERE author_id = ?1 AND client_id = ?2`,
        authorId,
        clientId,
      )
      .toArray();
    const row = rows[0];
    return row
      ? { clientId, seq: row.seq, id: row.id, createdAt: new Date(row.created_at).toISOString() }
      : null;
  }

  /**
   * Appends the message, unless this sender already used `clientId` (a retry: in the tail,
   * or in the record of trimmed ones), in which case nothing is written and the answer is
   * null. One statement: the retry check costs nothing extra on a new message.
   */
  appendIfNew(author: UserRef, body: string, clientId: string, now: number): ChatMessage | null {
    const seq = this.#seq + 1;
    const id = crypto.randomUUID();
    const written = this.sql.exec(
      `INSERT INTO messages (seq, id, author_id, author_name, author_guest, body, client_id, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
       WHERE NOT EXISTS (SELECT 1 FROM sent WHERE author_id = ?3 AND client_id = ?7)
       ON CONFLICT (author_id, client_id) DO NOTHING`,
      seq,
      id,
      author.id,
      author.name,
      author.guest ? 1 : 0,
      body,
      clientId,
      now,
    ).rowsWritten;
    if (written === 0) return null;
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
    if (!this.#hasTables) return [];
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", afterSeq, limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  /** Messages with `seq` below `beforeSeq`, newest first (a history page). */
  before(beforeSeq: number, limit: number): ChatMessage[] {
    if (!this.#hasTables) return [];
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq < ? ORDER BY seq DESC LIMIT ?", beforeSeq, limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  unflushed(limit: number): ChatMessage[] {
    if (!this.#hasTables) return [];
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", this.#flushedSeq, limit)
      .toArray()
      .map((row) => this.#toMessage(row));
  }

  /** How many messages wait to be written to Postgres. */
  unflushedCount(): number {
    return this.#seq - this.#flushedSeq;
  }

  /**
   * Marks every message up to `lastSeq` as safely in Postgres (flushes go in `seq` order,
   * so that is exactly the batch just written) and trims the tail. A flush's bookkeeping
   * runs on the room's thread between messages, so it is kept to a few statements.
   */
  markFlushedThrough(lastSeq: number): void {
    if (lastSeq <= this.#flushedSeq) return;
    this.#setFlushedSeq(lastSeq);
    // Trimmed messages leave their clientId behind, so a late retry is still recognised.
    const trimBelow = Math.min(lastSeq, this.#seq - HOT_TAIL);
    if (trimBelow <= 0) return;
    this.sql.exec(
      `INSERT OR IGNORE INTO sent (author_id, client_id, seq, id, created_at)
       SELECT author_id, client_id, seq, id, created_at FROM messages WHERE seq <= ?`,
      trimBelow,
    );
    this.sql.exec("DELETE FROM messages WHERE seq <= ?", trimBelow);
    const now = Date.now();
    if (now - this.#sentExpiredAt > SENT_EXPIRY_CHECK_MS) {
      this.#sentExpiredAt = now;
      this.sql.exec("DELETE FROM sent WHERE created_at < ?", now - RETRY_MEMORY_MS);
    }
  }

  #setFlushedSeq(seq: number): void {
    this.#flushedSeq = seq;
    this.#setMeta("flushed_seq", String(seq));
  }

  // ---- receipts ---------------------------------------------------------------------

  receipt(userId: string): Receipt | null {
    if (!this.#hasTables) return null;
    const row = this.sql.exec<ReceiptRow>("SELECT * FROM receipts WHERE user_id = ?", userId).toArray()[0];
    return row ? toReceipt(row) : null;
  }

  /** The most advanced receipts first, at most `limit` (the same array until a mark moves: read only). */
  receipts(limit: number): Receipt[] {
    if (!this.#hasTables) return [];
    if (this.#topReceipts?.limit !== limit) {
      const receipts = this.sql
        .exec<ReceiptRow>("SELECT * FROM receipts ORDER BY read DESC, delivered DESC LIMIT ?", limit)
        .toArray()
        .map(toReceipt);
      this.#topReceipts = { limit, receipts };
    }
    return this.#topReceipts.receipts;
  }

  /**
   * Moves a member's mark forward (never back; reading implies delivery; never past the
   * latest message). Returns the new receipt, or null when nothing changed.
   */
  advanceReceipt(user: UserRef, kind: "delivered" | "read", seq: number): Receipt | null {
    const target = Math.min(seq, this.#seq);
    const old = this.receipt(user.id) ?? { userId: user.id, name: user.name, delivered: 0, read: 0 };
    const read = kind === "read" ? Math.max(old.read, target) : old.read;
    const delivered = Math.max(old.delivered, read, kind === "delivered" ? target : 0);
    if (delivered === old.delivered && read === old.read) return null;
    this.#topReceipts = null;
    this.sql.exec(
      `INSERT INTO receipts (user_id, name, guest, delivered, read, unsaved) VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (user_id) DO UPDATE SET delivered = excluded.delivered, read = excluded.read, unsaved = 1`,
      user.id,
      user.name,
      user.guest ? 1 : 0,
      delivered,
      read,
    );
    return { userId: user.id, name: user.name, delivered, read };
  }

  /** Receipts Postgres has not seen yet (guests have no account to save them to). */
  unsavedReceipts(): Receipt[] {
    if (!this.#hasTables) return [];
    return this.sql
      .exec<ReceiptRow>("SELECT * FROM receipts WHERE unsaved = 1 AND guest = 0")
      .toArray()
      .map(toReceipt);
  }

  /** Marks receipts saved, unless they moved on while the save was under way. */
  markReceiptsSaved(saved: Receipt[]): void {
    for (const r of saved) {
      this.sql.exec(
        "UPDATE receipts SET unsaved = 0 WHERE user_id = ? AND delivered = ? AND read = ?",
        r.userId,
        r.delivered,
        r.read,
      );
    }
  }

  /** Marks Postgres already had when this object first opened the room. */
  importReceipts(receipts: Receipt[]): void {
    this.#topReceipts = null;
    for (const r of receipts) {
      this.sql.exec(
        `INSERT INTO receipts (user_id, name, guest, delivered, read, unsaved) VALUES (?, ?, 0, ?, ?, 0)
         ON CONFLICT (user_id) DO UPDATE SET delivered = max(delivered, excluded.delivered), read = max(read, excluded.read)`,
        r.userId,
        r.name,
        r.delivered,
        r.read,
      );
    }
  }

  /** Failed flushes in a row (read on every send, so kept in memory as well). */
  flushFailures(): number {
    if (!this.#hasTables) return 0;
    this.#flushFailures ??= Number(this.#meta("flush_failures") ?? 0);
    return this.#flushFailures;
  }

  setFlushFailures(count: number): void {
    if (count === this.flushFailures()) return;
    this.#flushFailures = count;
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

/** The log's tables; idempotent, so it also brings a log written by older code up to date. */
function createTables(sql: SqlStorage): void {
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
      -- Unused since the flushed mark became one number (meta flushed_seq); kept so that
      -- logs written before still open.
      flushed INTEGER NOT NULL DEFAULT 0,
      UNIQUE (author_id, client_id)
    );
    DROP INDEX IF EXISTS messages_unflushed;
    -- What a retry needs to get its original ack once the message left the hot tail.
    CREATE TABLE IF NOT EXISTS sent (
      author_id TEXT NOT NULL,
      client_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      id TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (author_id, client_id)
    );
    CREATE INDEX IF NOT EXISTS sent_created_at ON sent (created_at);
    -- Members of a private room known to be members (a cache of Postgres' room_members).
    CREATE TABLE IF NOT EXISTS members (user_id TEXT PRIMARY KEY);
    -- Receipt high-water marks per member; unsaved = not yet written to Postgres.
    CREATE TABLE IF NOT EXISTS receipts (
      user_id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      guest INTEGER NOT NULL,
      delivered INTEGER NOT NULL,
      read INTEGER NOT NULL,
      unsaved INTEGER NOT NULL
    );
  `);
}

interface ReceiptRow extends Record<string, SqlStorageValue> {
  user_id: string;
  name: string;
  delivered: number;
  read: number;
}

function toReceipt(row: ReceiptRow): Receipt {
  return { userId: row.user_id, name: row.name, delivered: row.delivered, read: row.read };
}
