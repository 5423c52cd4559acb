// How a room's log reaches Postgres: when (a timer shortly after new messages, the alarm
// as the safety net behind it), how failures back off, and the connection flushes share
// while they keep coming. The room hands it what changed; the log (room-log.ts) says what
// is still unwritten, so a flush that fails or an object that is evicted loses nothing.
import {
  type Database,
  type DatabaseEnv,
  type DatabaseHandle,
  describeDatabaseError,
  isDatabaseUnavailable,
  openDatabase,
  withDatabase,
} from "../db/client.ts";
import { insertMessages } from "../db/messages.ts";
import { saveReceipts } from "../db/receipts.ts";
import { saveRoomActivity } from "../db/room-list.ts";
import type { RoomNow } from "./activity-fanout.ts";
import { flushRetryDelayMs } from "./flush-backoff.ts";
import type { RoomLog } from "./room-log.ts";

/**
 * New messages wait this long (an in-memory timer) to be written to Postgres together, or
 * less once FLUSH_EARLY_ROWS of them wait: each flush has a fixed cost (statement,
 * round trip, the room's own bookkeeping), and 30 quiet rooms flushing a row or two ten
 * times a second kept workerd 6 points busier (94% against 88%). A busy room still flushes about
 * every 100 ms, so Postgres is never far behind; readers never wait for it, as the room
 * serves what it has not flushed yet.
 */
const FLUSH_DELAY_MS = 500;
/** This many messages waiting flush at once (about 100 ms' worth at 1,000 messages/s). */
const FLUSH_EARLY_ROWS = 100;
/**
 * The alarm that flushes if the object is evicted before its timer fires. Setting an alarm
 * is a storage write that every outgoing frame then waits for, so it is armed once per
 * this interval, not once per message.
 */
const FLUSH_SAFETY_MS = 5_000;
/**
 * The flushes' Postgres connection stays open this long after the last flush: a busy room
 * flushes ten times a second, and opening a connection (WebSocket, start-up, password) each
 * time cost more than the INSERT. An open outbound socket keeps the object awake, so an
 * idle room lets it go.
 */
const FLUSH_CONNECTION_IDLE_MS = 10_000;
/**
 * Rows per INSERT statement. The statement is the same size whatever the count (see
 * insertMessages), so this bounds only the bytes in flight (4 MB at most, with the longest
 * bodies); a backlog, e.g. after an outage, drains a batch at a time, back to back.
 */
const FLUSH_BATCH = 1_000;

export interface FlushHooks {
  /** The room list's row as it stands now, for the room the log holds. */
  roomNow(roomId: string): RoomNow;
  /** Arms the object's alarm `delayMs` from now (`replace`: exactly then, for a backoff). */
  scheduleAlarm(delayMs: number, replace?: boolean): Promise<void>;
  /** Readers who became members with this flush (their first read mark here). */
  joined(userIds: string[]): void;
}

export class RoomFlusher {
  readonly #env: DatabaseEnv;
  readonly #log: RoomLog;
  readonly #hooks: FlushHooks;
  /** The next flush while the object is awake; the alarm is the safety net behind it. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When #timer fires (ms since the epoch). */
  #dueAt = 0;
  /** The flush under way, so a timer and the alarm never write the same batch at once. */
  #flushing: Promise<void> | null = null;
  /** Whether the room list's row (`room_activity`) is behind: written with the next flush. */
  #activityBehind = false;
  /** When the room list's row was last written (ms since the epoch). */
  #activityWrittenAt = 0;
  /** The flushes' connection, kept between flushes while they keep coming. */
  #connection: DatabaseHandle | null = null;
  #connectionTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(env: DatabaseEnv, log: RoomLog, hooks: FlushHooks) {
    this.#env = env;
    this.#log = log;
    this.#hooks = hooks;
  }

  /** The room list's row changed (a message, someone came or went): written with the next flush. */
  markActivityBehind(): void {
    this.#activityBehind = true;
  }

  /** When the room list's row was last written. */
  get activityWrittenAt(): number {
    return this.#activityWrittenAt;
  }

  /**
   * A message was appended to the log: it is flushed soon, at once when many wait. The
   * safety alarm is armed with each new flush timer, not per message; while Postgres is
   * backing off no timer starts and the alarm is already set.
   */
  async messageAppended(): Promise<void> {
    const delay = this.#log.unflushedCount() >= FLUSH_EARLY_ROWS ? 0 : FLUSH_DELAY_MS;
    if (this.soon(delay)) await this.#hooks.scheduleAlarm(FLUSH_SAFETY_MS);
  }

  /**
   * Flushes after `delayMs`, unless a flush is already due by then or Postgres is backing
   * off; answers whether this set a new timer.
   */
  soon(delayMs: number): boolean {
    if (this.#log.flushFailures() > 0) return false;
    const dueAt = Date.now() + delayMs;
    if (this.#timer !== undefined) {
      if (this.#dueAt <= dueAt) return false;
      clearTimeout(this.#timer);
    }
    this.#dueAt = dueAt;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush().catch((error: unknown) =>
        console.error(`room ${this.#log.room?.id}: flush failed`, error),
      );
    }, delayMs);
    return true;
  }

  /** One flush at a time: a caller that finds one under way waits for it and then flushes. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#flushing = this.#flushOnce().finally(() => {
      this.#flushing = null;
    });
    await this.#flushing;
  }

  /**
   * Runs `work` on the flushes' connection when it is open (it usually is after a message),
   * else on one of its own, closed at once so a quiet room still hibernates.
   */
  async withConnection<T>(work: (db: Database) => Promise<T>): Promise<T> {
    return this.#connection ? await work(this.#connection.db) : await withDatabase(this.#env, work);
  }

  async #flushOnce(): Promise<void> {
    const room = this.#log.room;
    if (!room) return;
    const batch = this.#log.unflushed(FLUSH_BATCH);
    const receipts = this.#log.unsavedReceipts();
    const activity = this.#activityBehind;
    if (batch.length === 0 && receipts.length === 0 && !activity) return;
    this.#activityBehind = false;
    const roomActivity = activity ? this.#hooks.roomNow(room.id) : null;
    let joined: string[] = [];
    try {
      if (batch.length === 0 && receipts.length === 0 && roomActivity) {
        // Only the room list's row: a connection of its own, closed at once, so a quiet
        // room with people in it still hibernates (the flushes' connection stays open).
        await withDatabase(this.#env, (db) => saveRoomActivity(db, roomActivity));
      } else {
        const db = this.#openConnection();
        await insertMessages(db, room.id, batch);
        joined = await saveReceipts(db, room.id, receipts);
        if (roomActivity) await saveRoomActivity(db, roomActivity);
      }
      if (roomActivity) this.#activityWrittenAt = Date.now();
    } catch (error) {
      // Retried with the messages while Postgres is away; a refusal is not retried.
      if (activity && isDatabaseUnavailable(error)) this.#activityBehind = true;
      // A connection that failed is not trusted again: the next attempt opens a new one.
      this.#closeConnection();
      if (batch.length === 0 && !isDatabaseUnavailable(error)) {
        // Postgres refused only receipts (e.g. the account is gone): they live on here,
        // but retrying the same rows would fail forever.
        console.error(`room ${room.id}: Postgres refused receipt marks; keeping them only here`, error);
        this.#log.markReceiptsSaved(receipts);
        return;
      }
      const failures = this.#log.flushFailures() + 1;
      this.#log.setFlushFailures(failures);
      const delay = flushRetryDelayMs(failures);
      console.warn(
        `room ${room.id}: flushing ${batch.length} messages failed (attempt ${failures}); retrying in ${delay} ms:`,
        // The innermost cause: the query error's own message repeats the statement and every parameter.
        describeDatabaseError(error),
      );
      await this.#hooks.scheduleAlarm(delay, true);
      return;
    }
    if (joined.length > 0) this.#hooks.joined(joined);
    const last = batch.at(-1);
    if (last) this.#log.markFlushedThrough(last.seq);
    this.#log.markReceiptsSaved(receipts);
    this.#log.setFlushFailures(0);
    // More waiting (a backlog): the next batch at once, not after the usual delay.
    if (this.#log.unflushedCount() > 0) this.soon(0);
  }

  #openConnection(): Database {
    this.#connection ??= openDatabase(this.#env);
    if (this.#connectionTimer !== undefined) clearTimeout(this.#connectionTimer);
    this.#connectionTimer = setTimeout(() => this.#closeConnection(), FLUSH_CONNECTION_IDLE_MS);
    return this.#connection.db;
  }

  #closeConnection(): void {
    if (this.#connectionTimer !== undefined) clearTimeout(this.#connectionTimer);
    this.#connectionTimer = undefined;
    void this.#connection?.close();
    this.#connection = null;
  }
}
