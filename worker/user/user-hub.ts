// UserHub: one Durable Object per account (and per guest). It is
// - the authority on which sessions of the account are still valid: each session's record
//   (browser, last active, ended), and a version number that a password change bumps; it
//   knows which rooms hold the account's sockets, so ending sessions reaches them;
// - the account's presence: the user is online while any of their app sockets
//   (`/api/me/ws`) is alive, and friends hear when that changes;
// - the live channel for friend requests and room invitations to this user.
//
// Going offline waits a short grace period, so a page reload does not flash "offline" at
// every friend. Sockets that stop pinging count as gone (checked from the alarm).
import { DurableObject } from "cloudflare:workers";
import { isIdle, MAX_SESSIONS_PER_ACCOUNT, retentionMs, TOUCH_INTERVAL_MS } from "../auth/session-rules.ts";
import { describeDatabaseError, withDatabase } from "../db/client.ts";
import { listFriendships, recordLastSeen, recordOnline } from "../db/friends.ts";
import type { Env } from "../env.ts";
import {
  type Friend,
  type FriendList,
  type HubServerFrame,
  type Person,
  parseHubFrame,
  type RoomActivity,
  type RoomInvitation,
} from "../protocol/hub-protocol.ts";
import { CloseCode, type SessionEndReason } from "../protocol/room-protocol.ts";
import { readForwardedUpgrade } from "../sockets/forwarded-upgrade.ts";
import { FrameBudget, HELLO_COST } from "../sockets/frame-budget.ts";
import { MAX_HUB_SOCKETS, MAX_OPEN_ROOMS, oldestBeyondCap } from "../sockets/socket-caps.ts";
import {
  answerClose,
  chargeFrame,
  closeQuietly,
  frameOrAnswer,
  isSilent,
  offlineGraceMs,
  presenceTimeoutMs,
} from "../sockets/socket-lifecycle.ts";
import { loadFriendList } from "./friend-list.ts";
import { onlineDirectory } from "./online-directory.ts";

/** Retrying `last_seen_at` while Postgres is down: from 5 s, doubling, at most a minute. */
const LAST_SEEN_RETRY_MS = { first: 5_000, max: 60_000 };

/** Which of the account's sessions `endSessions` closes. */
/** Which sessions end, and why (the sockets' close reason). */
export type SessionSelector = ({ except: string } | { only: string }) & { why: SessionEndReason };

export function sessionMatches(sid: string, which: SessionSelector): boolean {
  return "only" in which ? sid === which.only : sid !== which.except;
}

/** A signed-in browser, as Settings lists it. */
export interface SessionInfo {
  id: string;
  browser: string;
  createdAt: number;
  lastActiveAt: number;
}

type SessionRow = {
  sid: string;
  browser: string;
  created_at: number;
  last_active_at: number;
  ended: number;
};

const TABLES = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS profile (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS open_rooms (room_id TEXT PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS friends (user_id TEXT PRIMARY KEY);
  CREATE TABLE IF NOT EXISTS room_invites (
    token TEXT PRIMARY KEY, invitation TEXT NOT NULL, expires_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sessions (
    sid TEXT PRIMARY KEY, browser TEXT NOT NULL, created_at INTEGER NOT NULL,
    last_active_at INTEGER NOT NULL, ended INTEGER NOT NULL DEFAULT 0
  );
`;

/** A guest's `ready`: guests have no friends and no invitations to answer. */
const NO_FRIENDS: FriendList = { friends: [], incoming: [], outgoing: [] };

/** Guest ids are made by the guest route (routes/auth.ts) with this prefix. */
function isGuestId(userId: string): boolean {
  return userId.startsWith("g_");
}

/** What survives hibernation with each socket. */
interface HubSocketState {
  sid: string;
  connectedAt: number;
  /** True once `ready` was sent: only then does the socket get live frames. */
  ready: boolean;
}

type MetaKey =
  | "session_version"
  | "online"
  | "last_seen_at"
  | "offline_at"
  | "last_seen_unsaved"
  | "last_seen_failures";

export class UserHub extends DurableObject<Env> {
  readonly #sql: SqlStorage;
  readonly #sockets = new Map<WebSocket, HubSocketState>();
  readonly #lastFrameAt = new Map<WebSocket, number>();
  /** Each socket's frame allowance (memory only: a woken socket starts afresh). */
  readonly #frameBudgets = new Map<WebSocket, FrameBudget>();
  /** Live frames for sockets whose `ready` is still being built (sent right after it). */
  readonly #pending = new Map<WebSocket, HubServerFrame[]>();
  readonly #presenceTimeoutMs: number;
  readonly #offlineGraceMs: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#sql.exec(TABLES);
    this.#presenceTimeoutMs = presenceTimeoutMs(env);
    this.#offlineGraceMs = offlineGraceMs(env);
    for (const ws of ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as HubSocketState | null;
      if (state) this.#sockets.set(ws, state);
    }
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // Online with no socket and no offline deadline: the sockets vanished without a close
    // (the runtime restarted). Go offline the usual way, from the alarm.
    if (this.#sockets.size === 0 && this.#meta("online") === 1 && this.#meta("offline_at") === 0) {
      void ctx.blockConcurrencyWhile(async () => {
        this.#startOfflineGrace(Date.now());
        await this.#scheduleAlarm();
      });
    }
  }

  // ---- platform hooks ---------------------------------------------------------------

  /** `/api/me/ws`, forwarded by the Worker after it checked the Origin and the session. */
  override async fetch(request: Request): Promise<Response> {
    const forwarded = readForwardedUpgrade(request);
    const user = forwarded?.user;
    if (!forwarded || !user) {
      return new Response("expected a WebSocket upgrade from the Worker", { status: 400 });
    }
    // The session is checked here, where it is kept: a cookie of a session that ended (log-out,
    // a password change) is no session, and the Worker answers 401.
    if (!this.confirmSession(user.id, forwarded.sid, forwarded.claimedVersion))
      return new Response("unauthenticated", { status: 401 });
    this.#setUserId(user.id);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    const state: HubSocketState = {
      sid: forwarded.sid,
      connectedAt: Date.now(),
      ready: false,
    };
    server.serializeAttachment(state);
    this.#sockets.set(server, state);
    if (this.#sockets.size > MAX_HUB_SOCKETS) {
      const connectedAt = (ws: WebSocket) => this.#sockets.get(ws)?.connectedAt ?? 0;
      for (const ws of oldestBeyondCap([...this.#sockets.keys()], connectedAt, MAX_HUB_SOCKETS))
        this.#end(ws, CloseCode.TooManyConnections, "too many connections");
    }
    await this.#cameOnline();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const state = this.#sockets.get(ws);
    if (!state) return;
    const now = Date.now();
    this.#lastFrameAt.set(ws, now);
    const parsed = parseHubFrame(raw);
    let budget = this.#frameBudgets.get(ws);
    if (!budget) {
      budget = new FrameBudget(now);
      this.#frameBudgets.set(ws, budget);
    }
    // A `hello` costs a Postgres query and a whole `ready`.
    const cost = parsed.kind === "frame" && parsed.frame.type === "hello" ? HELLO_COST : 1;
    const end = (socket: WebSocket, code: number, reason: string) => this.#end(socket, code, reason);
    if (!chargeFrame(ws, budget, cost, now, end)) return;
    const frame = frameOrAnswer(ws, parsed, end);
    if (!frame) return;
    switch (frame.type) {
      case "hello":
        await this.#hello(ws, state);
        return;
      case "dismiss_invite":
        this.roomInviteHandled(frame.token);
        return;
      default:
        frame satisfies never;
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    answerClose(ws, code);
    await this.#drop(ws);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.#drop(ws);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const [ws, state] of this.#sockets) {
      const heard = { lastFrameAt: this.#lastFrameAt.get(ws), connectedAt: state.connectedAt };
      if (isSilent(this.ctx, ws, heard, now, this.#presenceTimeoutMs))
        this.#end(ws, CloseCode.Normal, "no ping for too long");
    }
    if (this.#sockets.size === 0 && this.#meta("online") === 1) {
      const offlineAt = this.#meta("offline_at");
      if (offlineAt === 0) this.#startOfflineGrace(now);
      else if (offlineAt <= now) await this.#wentOffline();
    }
    if (this.#meta("last_seen_unsaved") === 1 && this.#meta("offline_at") === 0) await this.#saveLastSeen();
    if (await this.#pruneSessions(now)) return;
    await this.#scheduleAlarm();
  }

  // ---- sessions (RPC for the Worker and the rooms) ------------------------------------

  /** Sessions issued with an older version than this no longer count. */
  sessionVersion(): number {
    return this.#meta("session_version");
  }

  /**
   * A new session (sign-up, log-in, guest): recorded, and the version its cookie carries
   * is answered. Past MAX_SESSIONS_PER_ACCOUNT the least recently active one ends.
   */
  async openSession(userId: string, sid: string, browser: string): Promise<number> {
    this.#setUserId(userId);
    const now = Date.now();
    this.#sql.exec(
      "INSERT OR IGNORE INTO sessions (sid, browser, created_at, last_active_at) VALUES (?, ?, ?, ?)",
      sid,
      browser,
      now,
      now,
    );
    const extra = this.#sql
      .exec<{ sid: string }>(
        "SELECT sid FROM sessions WHERE ended = 0 ORDER BY last_active_at DESC, created_at DESC LIMIT -1 OFFSET ?",
        MAX_SESSIONS_PER_ACCOUNT,
      )
      .toArray();
    for (const { sid: old } of extra) await this.endSession(userId, old);
    await this.#scheduleAlarm();
    return this.sessionVersion();
  }

  /**
   * Whether the cookie's session still counts: issued under the current version, not
   * ended, not idle too long. Using it marks it active (sliding expiry). A session this hub
   * has no record of, yet signed by the Worker and of the current version, was issued
   * before sessions were recorded (or by the bench, which mints its own): it is recorded
   * now. A record is kept for as long as any of its cookies can live (`retentionMs`), so an
   * ended session is never taken for such a one.
   */
  confirmSession(userId: string, sid: string, version: number | null, browser = "Unknown browser"): boolean {
    if (version !== this.sessionVersion() || sid === "") return false;
    const now = Date.now();
    const row = this.#sql.exec<SessionRow>("SELECT * FROM sessions WHERE sid = ?", sid).toArray()[0];
    if (!row) {
      this.#setUserId(userId);
      this.#sql.exec(
        "INSERT INTO sessions (sid, browser, created_at, last_active_at) VALUES (?, ?, ?, ?)",
        sid,
        browser,
        now,
        now,
      );
      return true;
    }
    if (row.ended === 1) return false;
    if (isIdle(row.last_active_at, now, isGuestId(userId))) {
      this.#sql.exec("UPDATE sessions SET ended = 1 WHERE sid = ?", sid);
      return false;
    }
    if (now - row.last_active_at >= TOUCH_INTERVAL_MS)
      this.#sql.exec("UPDATE sessions SET last_active_at = ? WHERE sid = ?", now, sid);
    return true;
  }

  /** The account's live sessions, most recently active first. */
  listSessions(): SessionInfo[] {
    const now = Date.now();
    const guest = isGuestId(this.#userId() ?? "");
    return this.#sql
      .exec<SessionRow>("SELECT * FROM sessions WHERE ended = 0 ORDER BY last_active_at DESC")
      .toArray()
      .filter((row) => !isIdle(row.last_active_at, now, guest))
      .map((row) => ({
        id: row.sid,
        browser: row.browser,
        createdAt: row.created_at,
        lastActiveAt: row.last_active_at,
      }));
  }

  /**
   * Ends every session of the account but `keepSessionId`: bumps the version (so every
   * older cookie stops working at once, recorded or not) and closes their sockets here and
   * in every room. Returns the new version, for the kept session's fresh cookie.
   */
  async endOtherSessions(userId: string, keepSessionId: string, why: SessionEndReason): Promise<number> {
    const version = this.sessionVersion() + 1;
    this.#setMeta("session_version", version);
    this.#sql.exec("UPDATE sessions SET ended = 1 WHERE sid != ?", keepSessionId);
    await this.#closeSessions(userId, { except: keepSessionId, why });
    return version;
  }

  /** Log-out, or "Sign out" in Settings: that session ends, its sockets close with 4001. */
  async endSession(userId: string, sessionId: string): Promise<boolean> {
    const ended = this.#sql.exec("UPDATE sessions SET ended = 1 WHERE sid = ? AND ended = 0", sessionId);
    await this.#closeSessions(userId, { only: sessionId, why: "signed_out" });
    return ended.rowsWritten > 0;
  }

  async #closeSessions(userId: string, which: SessionSelector): Promise<void> {
    for (const [ws, state] of this.#sockets) {
      if (sessionMatches(state.sid, which)) this.#end(ws, CloseCode.SessionEnded, which.why);
    }
    const rooms = this.#sql.exec<{ room_id: string }>("SELECT room_id FROM open_rooms").toArray();
    await Promise.allSettled(
      rooms.map(({ room_id }) =>
        this.env.CHAT_ROOM.get(this.env.CHAT_ROOM.idFromName(room_id)).endSessions(userId, which),
      ),
    );
    await this.#scheduleAlarm();
  }

  /**
   * A room tells the hub when the account's first socket opens there, and its last closes.
   * Answers whether the upgrading session counts (`confirmSession`), and registers the room
   * only if it does: the room trusts that answer until `endSessions` tells it otherwise.
   */
  roomOpened(roomId: string, userId: string, sid: string, version: number | null): boolean {
    // A session that does not count gets a visitor's socket: nothing to tell that room.
    if (!this.confirmSession(userId, sid, version)) return false;
    const added = this.#sql.exec("INSERT OR IGNORE INTO open_rooms (room_id) VALUES (?)", roomId).rowsWritten;
    if (added > 0) this.#forgetOldestRoomsBeyondCap(userId);
    return true;
  }

  /**
   * Past MAX_OPEN_ROOMS the rooms registered longest ago (rowid order) are forgotten and
   * told to close the account's sockets (4009). Not awaited: the room opening now need not
   * wait, and a room that does not answer only keeps sockets it would have closed.
   */
  #forgetOldestRoomsBeyondCap(userId: string): void {
    const count = this.#sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM open_rooms").one().n;
    if (count <= MAX_OPEN_ROOMS) return;
    const oldest = this.#sql
      .exec<{ room_id: string }>(
        "SELECT room_id FROM open_rooms ORDER BY rowid LIMIT ?",
        count - MAX_OPEN_ROOMS,
      )
      .toArray();
    for (const { room_id } of oldest) {
      this.#sql.exec("DELETE FROM open_rooms WHERE room_id = ?", room_id);
      this.env.CHAT_ROOM.get(this.env.CHAT_ROOM.idFromName(room_id))
        .tooManyRooms(userId)
        .catch((error: unknown) => console.warn(`hub ${userId}: could not close room ${room_id}`, error));
    }
  }

  roomClosed(roomId: string): void {
    this.#sql.exec("DELETE FROM open_rooms WHERE room_id = ?", roomId);
  }

  // ---- presence (RPC) -------------------------------------------------------------------

  /** Whether the user is online, and when they were last seen (epoch ms; null if never here). */
  presence(): { online: boolean; lastSeenAt: number | null } {
    const lastSeen = this.#meta("last_seen_at");
    // Within the grace period after the last socket closed the user still counts as here.
    const online =
      this.#meta("online") === 1 && (this.#sockets.size > 0 || this.#meta("offline_at") > Date.now());
    return { online, lastSeenAt: lastSeen === 0 ? null : lastSeen };
  }

  /** A friend came online or went offline. */
  friendPresence(userId: string, online: boolean, lastSeenAt: string | null): void {
    if (this.#isFriend(userId)) this.#broadcast({ type: "friend_presence", userId, online, lastSeenAt });
  }

  onlineTotal(count: number, rooms: Record<string, number>): void {
    this.#broadcast({ type: "online_total", count, rooms });
  }

  /** From a room the user belongs to (worker/room/activity-fanout.ts): their list's badge and count. */
  roomActivity(activity: RoomActivity): void {
    this.#broadcast({ type: "room_activity", ...activity });
  }

  // ---- friends and invitations (RPC for the Worker) ----------------------------------

  friendRequestReceived(id: string, from: Person): void {
    this.#broadcast({ type: "friend_request", id, from });
  }

  friendRequestSent(id: string, to: Person): void {
    this.#broadcast({ type: "friend_request_sent", id, to });
  }

  friendRequestRemoved(id: string): void {
    this.#broadcast({ type: "friend_request_removed", id });
  }

  friendAdded(friend: Friend): void {
    this.#sql.exec("INSERT OR IGNORE INTO friends (user_id) VALUES (?)", friend.id);
    this.#broadcast({ type: "friend_accepted", user: friend });
  }

  friendRemoved(userId: string): void {
    this.#sql.exec("DELETE FROM friends WHERE user_id = ?", userId);
    this.#broadcast({ type: "friend_removed", userId });
  }

  /** Kept until accepted, dismissed or expired, so a friend who is offline sees it later. */
  roomInvited(invitation: RoomInvitation): void {
    this.#sql.exec(
      "INSERT OR REPLACE INTO room_invites (token, invitation, expires_at) VALUES (?, ?, ?)",
      invitation.token,
      JSON.stringify(invitation),
      Date.parse(invitation.expiresAt),
    );
    this.#broadcast({ type: "room_invite", ...invitation });
  }

  roomInviteHandled(token: string): void {
    const removed = this.#sql.exec("DELETE FROM room_invites WHERE token = ?", token);
    if (removed.rowsWritten > 0) this.#broadcast({ type: "room_invite_removed", token });
  }

  // ---- the hub socket -------------------------------------------------------------------

  async #hello(ws: WebSocket, state: HubSocketState): Promise<void> {
    const userId = this.#userId();
    if (!userId) throw new Error("hello before the hub knew its user");
    this.#pending.set(ws, []);
    try {
      const [list, onlineTotal] = await Promise.all([
        isGuestId(userId) ? NO_FRIENDS : withDatabase(this.env, (db) => loadFriendList(this.env, db, userId)),
        onlineDirectory(this.env).count(),
      ]);
      this.#replaceFriends(list.friends.map((f) => f.id));
      send(ws, { type: "ready", ...list, onlineTotal, roomInvites: this.#roomInvites() });
    } catch (error) {
      console.warn(`hub ${userId}: cannot load the friend list:`, describeDatabaseError(error));
      this.#pending.delete(ws);
      send(ws, {
        type: "error",
        code: "database_unavailable",
        message: "Your friends could not be loaded just now; trying again shortly.",
      });
      return;
    }
    state.ready = true;
    ws.serializeAttachment(state);
    // Whatever happened while the list was loading comes right after it.
    for (const frame of this.#pending.get(ws) ?? []) send(ws, frame);
    this.#pending.delete(ws);
  }

  #roomInvites(): RoomInvitation[] {
    this.#sql.exec("DELETE FROM room_invites WHERE expires_at <= ?", Date.now());
    return this.#sql
      .exec<{ invitation: string }>("SELECT invitation FROM room_invites ORDER BY rowid")
      .toArray()
      .map((row) => JSON.parse(row.invitation) as RoomInvitation);
  }

  #broadcast(frame: HubServerFrame): void {
    const text = JSON.stringify(frame);
    for (const [ws, state] of this.#sockets) {
      const pending = this.#pending.get(ws);
      if (pending) pending.push(frame);
      else if (state.ready) sendText(ws, text);
    }
  }

  // ---- presence -------------------------------------------------------------------------

  async #cameOnline(): Promise<void> {
    this.#setMeta("offline_at", 0);
    if (this.#meta("online") !== 1) {
      this.#setMeta("online", 1);
      this.ctx.waitUntil(this.#announce(true, null));
    }
    await this.#scheduleAlarm();
  }

  async #drop(ws: WebSocket): Promise<void> {
    if (!this.#sockets.delete(ws)) return;
    this.#lastFrameAt.delete(ws);
    this.#frameBudgets.delete(ws);
    this.#pending.delete(ws);
    if (this.#sockets.size === 0) {
      this.#startOfflineGrace(Date.now());
      await this.#scheduleAlarm();
    }
  }

  /** The last socket closed at `now`: that is when they were last seen, if nobody returns. */
  #startOfflineGrace(now: number): void {
    this.#setMeta("last_seen_at", now);
    this.#setMeta("offline_at", now + this.#offlineGraceMs);
  }

  async #wentOffline(): Promise<void> {
    this.#setMeta("online", 0);
    this.#setMeta("offline_at", 0);
    this.#setMeta("last_seen_unsaved", 1);
    this.#setMeta("last_seen_failures", 0);
    await this.#announce(false, new Date(this.#meta("last_seen_at")).toISOString());
  }

  /** Tells the user's friends and the directory. Friends come from Postgres, or the cache. */
  async #announce(online: boolean, lastSeenAt: string | null): Promise<void> {
    const userId = this.#userId();
    if (!userId) return;
    if (isGuestId(userId)) {
      await onlineDirectory(this.env).setOnline(userId, online);
      return;
    }
    let friendIds: string[];
    try {
      const rows = await withDatabase(this.env, async (db) => {
        // Rooms push live counts to members who are online (worker/db/rooms.ts onlineMembers).
        await recordOnline(db, userId, online);
        return listFriendships(db, userId);
      });
      friendIds = rows
        .filter((r) => r.status === "accepted")
        .map((r) => (r.requester.id === userId ? r.addressee.id : r.requester.id));
      this.#replaceFriends(friendIds);
    } catch (error) {
      console.warn(
        `hub ${userId}: telling the cached friends, as Postgres failed:`,
        describeDatabaseError(error),
      );
      friendIds = this.#friendIds();
    }
    await Promise.allSettled([
      onlineDirectory(this.env).setOnline(userId, online),
      ...friendIds.map((id) =>
        this.env.USER_HUB.get(this.env.USER_HUB.idFromName(id)).friendPresence(userId, online, lastSeenAt),
      ),
    ]);
  }

  async #saveLastSeen(): Promise<void> {
    const userId = this.#userId();
    if (!userId || isGuestId(userId)) return;
    try {
      await withDatabase(this.env, (db) => recordLastSeen(db, userId, new Date(this.#meta("last_seen_at"))));
      this.#setMeta("last_seen_unsaved", 0);
    } catch (error) {
      this.#setMeta("last_seen_failures", this.#meta("last_seen_failures") + 1);
      console.warn(`hub ${userId}: could not record last_seen_at; will retry:`, describeDatabaseError(error));
    }
  }

  /** The alarm comes back for the earliest of: the offline deadline, a retry, the ping check. */
  async #scheduleAlarm(): Promise<void> {
    const now = Date.now();
    const due: number[] = [];
    const offlineAt = this.#meta("offline_at");
    if (offlineAt > 0) due.push(offlineAt);
    if (this.#meta("last_seen_unsaved") === 1) {
      const failures = this.#meta("last_seen_failures");
      due.push(
        now + Math.min(LAST_SEEN_RETRY_MS.first * 2 ** Math.max(0, failures - 1), LAST_SEEN_RETRY_MS.max),
      );
    }
    if (this.#sockets.size > 0) due.push(now + this.#presenceTimeoutMs / 2);
    const oldestSession = this.#oldestSessionActivity();
    if (oldestSession !== null) due.push(oldestSession + retentionMs(isGuestId(this.#userId() ?? "")));
    if (due.length === 0) return;
    const at = Math.min(...due);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at || current < now) await this.ctx.storage.setAlarm(at);
  }

  // ---- storage --------------------------------------------------------------------------

  #meta(key: MetaKey): number {
    return (
      this.#sql.exec<{ value: number }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value ?? 0
    );
  }

  #setMeta(key: MetaKey, value: number): void {
    this.#sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, value);
  }

  #setUserId(userId: string): void {
    this.#sql.exec("INSERT OR REPLACE INTO profile (key, value) VALUES ('user_id', ?)", userId);
  }

  #oldestSessionActivity(): number | null {
    return (
      this.#sql
        .exec<{ oldest: number | null }>("SELECT MIN(last_active_at) AS oldest FROM sessions")
        .toArray()[0]?.oldest ?? null
    );
  }

  /**
   * Forgets the records of sessions no cookie can still name. A guest's hub that is left
   * with no session and no socket deletes itself: guests come and go, their hubs must not
   * pile up. Answers whether it did.
   */
  async #pruneSessions(now: number): Promise<boolean> {
    const userId = this.#userId();
    const guest = userId !== null && isGuestId(userId);
    this.#sql.exec("DELETE FROM sessions WHERE last_active_at <= ?", now - retentionMs(guest));
    if (!guest || this.#sockets.size > 0 || this.#oldestSessionActivity() !== null) return false;
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#sql.exec(TABLES);
    return true;
  }

  #userId(): string | null {
    return (
      this.#sql.exec<{ value: string }>("SELECT value FROM profile WHERE key = 'user_id'").toArray()[0]
        ?.value ?? null
    );
  }

  #isFriend(userId: string): boolean {
    return this.#sql.exec("SELECT 1 FROM friends WHERE user_id = ?", userId).toArray().length > 0;
  }

  #friendIds(): string[] {
    return this.#sql
      .exec<{ user_id: string }>("SELECT user_id FROM friends")
      .toArray()
      .map((r) => r.user_id);
  }

  #replaceFriends(ids: string[]): void {
    this.#sql.exec("DELETE FROM friends");
    for (const id of ids) this.#sql.exec("INSERT OR IGNORE INTO friends (user_id) VALUES (?)", id);
  }

  /** Closes a socket from this side and forgets it. */
  #end(ws: WebSocket, code: number, reason: string): void {
    closeQuietly(ws, code, reason);
    void this.#drop(ws);
  }
}

function send(ws: WebSocket, frame: HubServerFrame): void {
  sendText(ws, JSON.stringify(frame));
}

function sendText(ws: WebSocket, text: string): void {
  try {
    ws.send(text);
  } catch {
    // closing: its close handler cleans up
  }
}

export function userHub(env: Env, userId: string) {
  return env.USER_HUB.get(env.USER_HUB.idFromName(userId));
}
