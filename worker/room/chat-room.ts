// ChatRoom: one Durable Object per room. It owns the room's log (the only writer, so
// `seq` has no gaps), holds the live sockets through the hibernation API, keeps typing
// (memory), receipts (its SQLite) and presence; room-flusher.ts writes the log to Postgres.
// The platform hooks are thin: each finds the socket's state, calls one handler, and logs
// failures with the room's id.
import { DurableObject } from "cloudflare:workers";
import { isMembersOnly, refusal, roomAccess } from "../access/room-access.ts";
import { describeDatabaseError, withDatabase } from "../db/client.ts";
import { loadReceipts } from "../db/receipts.ts";
import { findRoomWithLatestSeq, isMember, onlineMembers } from "../db/rooms.ts";
import type { Env } from "../env.ts";
import type { RoomActivity } from "../protocol/hub-protocol.ts";
import {
  type ChatMessage,
  type ClientFrame,
  CloseCode,
  normaliseBody,
  PINNED_ROOM_IDS,
  parseClientFrame,
  type Receipt,
  type ServerFrame,
  type UserRef,
} from "../protocol/room-protocol.ts";
import { readForwardedUpgrade } from "../sockets/forwarded-upgrade.ts";
import { FrameBudget, HELLO_COST } from "../sockets/frame-budget.ts";
import { FrameCoalescer } from "../sockets/frame-coalescer.ts";
import { MAX_ROOM_SOCKETS_PER_USER, oldestBeyondCap } from "../sockets/socket-caps.ts";
import {
  answerClose,
  chargeFrame,
  closeQuietly,
  frameOrAnswer,
  isSilent,
  offlineGraceMs,
  presenceTimeoutMs,
} from "../sockets/socket-lifecycle.ts";
import { onlineDirectory } from "../user/online-directory.ts";
import { type SessionSelector, sessionMatches, userHub } from "../user/user-hub.ts";
import { ActivityFanout, type MemberMark, type RoomNow, unreadCount } from "./activity-fanout.ts";
import { HubRegistration } from "./hub-registration.ts";
import { KeyedTimers } from "./keyed-timers.ts";
import { RecentFrames } from "./recent-frames.ts";
import { RoomFlusher } from "./room-flusher.ts";
import { HOT_TAIL, type RoomInfo, RoomLog } from "./room-log.ts";
import { SendLimiter } from "./send-limit.ts";
import { SocketRoster } from "./socket-roster.ts";
import { TypingTracker } from "./typing.ts";

/** The room an upgrade is for, set by the Worker beside the session (sockets/forwarded-upgrade.ts). */
export const ROOM_ID_HEADER = "x-chattr-room-id";

/** Receipts are less urgent than messages: batch them for longer. */
const RECEIPT_SAVE_DELAY_MS = 1_000;
/** Receipt frames are coalesced: at most one burst per this interval. */
const RECEIPT_BROADCAST_MS = 250;
/** Receipts sent in `ready`, most advanced first. */
const READY_RECEIPTS = 500;
/**
 * Who is here and the latest message reach the room list (Postgres `room_activity`) with
 * the next flush, or this long after a presence change when no messages wait: at most one
 * write a second for a room however busy, and the list's counts at most about a second old.
 */
const ACTIVITY_PUSH_MS = 1_000;
/**
 * Members' hubs hear the room's counts (`room_activity`) this long after a message or a
 * presence change, at most: a burst is told once, with a call per member whose count moved.
 */
const FANOUT_INTERVAL_MS = 250;
/**
 * Who of the members is online comes from Postgres and is reused this long: one query per
 * room every few seconds at most, however busy. Someone who comes online meanwhile loads
 * the list on connecting, so missing a push or two costs them nothing.
 */
const ONLINE_MEMBERS_TTL_MS = 5_000;

/** What survives hibernation with each socket (kept small: attachments max 16 KiB). */
interface SocketState {
  /** Null for a visitor without a session: they read, and are not listed as online. */
  user: UserRef | null;
  /** Whether this socket may send (and type, and mark receipts); the rest only read. */
  canWrite: boolean;
  /** The session that opened it ("" for a visitor). */
  sid: string;
  /** True once the client said `hello` and got `ready`: only then does it get live frames. */
  joined: boolean;
  /** The client asked for coalesced frames (`hello {batch: true}`); absent on older sockets. */
  batch?: boolean;
  /** The client reads `presence_change` instead of full lists (`hello {presenceChanges: true}`). */
  presenceChanges?: boolean;
  connectedAt: number;
  /**
   * Whose send allowance this socket draws on, when not its user's own: a guest's is keyed
   * by their address, so guests from one address share one (absent on older sockets).
   */
  sendKey?: string;
}

export type RoomLookup =
  | { status: "ok"; room: RoomInfo }
  | { status: "not_found" }
  | { status: "unavailable" };

/** Why a viewer cannot read the room, or the page of history this object holds. */
export type HistoryTail =
  | { status: "not_found" | "unavailable" | "unauthenticated" | "forbidden" }
  | {
      status: "ok";
      /** Newest first, below the requested `before`. */
      messages: ChatMessage[];
      /** The oldest `seq` this object still holds, or null when it holds none. */
      oldestSeq: number | null;
    };

const ACCESS_STATUS = { not_found: 404, unavailable: 503, unauthenticated: 401, forbidden: 403 } as const;

/** What a viewer may do in the room, or why they may not. */
type Access = { status: "ok"; write: boolean } | { status: Exclude<HistoryTail["status"], "ok"> };

export class ChatRoom extends DurableObject<Env> {
  #log: RoomLog;
  /** The newest messages' frames, for replay without reading the log. */
  readonly #recent = new RecentFrames();
  /** Live sockets and their state; rebuilt from attachments after hibernation. */
  readonly #sockets = new Map<WebSocket, SocketState>();
  /** The same sockets counted per user (kept in step with #sockets by #track and #drop). */
  readonly #roster = new SocketRoster();
  /** Confirms sessions with the accounts' hubs and keeps the room registered there. */
  readonly #hubs: HubRegistration;
  /** When each socket last sent a frame (memory only; pings are tracked by the runtime). */
  readonly #lastFrameAt = new Map<WebSocket, number>();
  /** Each socket's allowance for frames other than sends (memory only: a woken socket starts afresh). */
  readonly #frameBudgets = new Map<WebSocket, FrameBudget>();
  readonly #typing = new TypingTracker();
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #sendLimits = new Map<string, SendLimiter>();
  /** Receipt changes waiting for the next coalesced broadcast. */
  readonly #receiptsToSend = new Map<string, Receipt>();
  #receiptTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the alarm is due, null when none; undefined until read after a wake-up. */
  #alarmAt: number | null | undefined;
  readonly #presenceTimeoutMs: number;
  /** Outgoing frames, coalesced per socket for clients that batch. */
  readonly #coalescer = new FrameCoalescer();
  /** When the last `presence` went out, and the trailing one due after it, if any. */
  #presenceSentAt = 0;
  #presenceTimer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Sockets whose `ready` carried a list other than the last broadcast's, and that list's
   * version: the next broadcast skips those that already hold its list and sends the
   * others the full list, as changes from the last broadcast would not fit theirs.
   */
  readonly #readyVersions = new Map<WebSocket, string>();
  /** Who was online at the last presence broadcast, and its version; null when unknown (after waking up). */
  #presenceSnapshot: { online: Map<string, UserRef>; version: string } | null = null;
  /**
   * Presence versions are `<epoch>.<roster version>`: the epoch is new in every instance, so
   * a version a client kept from before the object restarted never matches.
   */
  readonly #presenceEpoch = crypto.randomUUID().slice(0, 8);
  readonly #offlineGraceMs: number;
  /** Users whose last socket closed: unlisted after OFFLINE_GRACE_MS unless they come back. */
  readonly #graceTimers = new KeyedTimers<string>();
  /** Writes the log to Postgres, and the room list's row with it. */
  readonly #flusher: RoomFlusher;
  /** When the newest message was sent, once one was sent since the object woke up. */
  #latestAt: Date | null = null;
  /** Who hears this room's counts, and what each was told. */
  readonly #fanout = new ActivityFanout();
  /** When members' hubs were last told, and the next telling, if one is due. */
  #fanoutAt = 0;
  #fanoutTimer: ReturnType<typeof setTimeout> | undefined;
  /** The members online as last asked of Postgres, and when. */
  #onlineMembers: { list: MemberMark[]; at: number } | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#log = new RoomLog(ctx.storage.sql);
    this.#hubs = new HubRegistration(env);
    this.#flusher = new RoomFlusher(env, this.#log, {
      roomNow: (roomId) => this.#roomNow(roomId),
      scheduleAlarm: (delayMs, replace) => this.#scheduleAlarm(delayMs, replace),
      // A reader who became a member here hears the room's counts from now on (their list
      // shows it among their rooms).
      joined: () => {
        this.#onlineMembers = null;
        this.#tellMembersSoon();
      },
    });
    this.#presenceTimeoutMs = presenceTimeoutMs(env);
    // The friends list's grace too: a thousand clients reconnecting at once change nobody's list.
    this.#offlineGraceMs = offlineGraceMs(env);
    for (const ws of ctx.getWebSockets()) {
      const state = ws.deserializeAttachment() as SocketState | null;
      if (state) this.#track(ws, state);
    }
    // Answered by the runtime without waking the object, so idle rooms can hibernate.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- platform hooks ---------------------------------------------------------------

  /** Upgrade requests, forwarded by the Worker after it checked the Origin and session. */
  override async fetch(request: Request): Promise<Response> {
    const roomId = request.headers.get(ROOM_ID_HEADER);
    const forwarded = readForwardedUpgrade(request);
    if (!roomId || !forwarded) {
      return new Response("expected a WebSocket upgrade from the Worker", { status: 400 });
    }
    // A room that does not exist is answered before anything else (no hub call, no alarm).
    const lookup = await this.#ensureRoom(roomId);
    if (lookup.status !== "ok") return new Response(lookup.status, { status: ACCESS_STATUS[lookup.status] });
    // An account's session version is confirmed here: a stale one makes its holder a visitor.
    const { user: claimed, sid, claimedVersion: version } = forwarded;
    let user: UserRef | null;
    let access: Access;
    for (let attempt = 1; ; attempt++) {
      const endings = this.#hubs.endings;
      const here = claimed !== null && this.#roster.hasSocketOf(claimed.id);
      user = await this.#hubs.confirm(claimed, roomId, sid, version, here);
      access = await this.#accessFor(roomId, user);
      // Sessions that ended meanwhile may include this one, and could not close a socket
      // that was not here yet: check again.
      if (endings === this.#hubs.endings) break;
      if (attempt === 3) throw new Error("sessions kept ending while an upgrade was checked");
    }
    if (access.status !== "ok") {
      // Confirming registered the room with the account's hub: take that back, unless the
      // account has sockets here.
      if (user && !this.#roster.hasSocketOf(user.id)) this.#hubs.leftSoon(user.id, roomId);
      return new Response(access.status, { status: ACCESS_STATUS[access.status] });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, user ? [user.id] : []);
    const state: SocketState = { user, canWrite: access.write, sid, joined: false, connectedAt: Date.now() };
    // Guests have no account to hold an allowance: those from one address share one.
    if (user?.guest && forwarded.address) state.sendKey = `address:${forwarded.address}`;
    server.serializeAttachment(state);
    this.#track(server, state);
    if (user) this.#closeOldestBeyondCap(user.id);
    await this.#scheduleAlarm(this.#presenceTimeoutMs / 2);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const state = this.#sockets.get(ws);
    if (!state) return;
    this.#lastFrameAt.set(ws, Date.now());
    try {
      await this.#onFrame(ws, state, raw);
    } catch (error) {
      console.error(
        `room ${this.#log.room?.id}: failed to handle a frame from ${state.user?.id ?? "a visitor"}`,
        error,
      );
      this.#end(ws, CloseCode.InternalError, "internal error");
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    answerClose(ws, code);
    this.#drop(ws);
  }

  override async webSocketError(ws: WebSocket, error: unknown): Promise<void> {
    console.warn(`room ${this.#log.room?.id}: socket error`, error);
    this.#drop(ws);
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    this.#dropSilentSockets(Date.now());
    // While anyone is here the room list's row is refreshed about once a presence timeout:
    // a row older than two is from a room that went away without saying so.
    const now = Date.now();
    if (this.#sockets.size > 0 && now - this.#flusher.activityWrittenAt >= this.#presenceTimeoutMs)
      this.#flusher.markActivityBehind();
    await this.#flusher.flush();
    // While anyone is connected, come back to look for sockets that went silent.
    if (this.#sockets.size > 0) await this.#scheduleAlarm(this.#presenceTimeoutMs / 2);
  }

  // ---- RPC for the Worker -------------------------------------------------------------

  /** The newest messages below `before` that this object holds (flushed or not), if the viewer may read them. */
  async historyTail(
    roomId: string,
    viewer: UserRef | null,
    before: number,
    limit: number,
  ): Promise<HistoryTail> {
    const access = await this.#accessFor(roomId, viewer);
    if (access.status !== "ok") return { status: access.status };
    return { status: "ok", messages: this.#log.before(before, limit), oldestSeq: this.#log.oldestSeq() };
  }

  /** A member joined (password or invite): remember it so their upgrade needs no lookup. */
  memberAdded(userId: string): void {
    this.#log.addMember(userId);
  }

  /** A member was removed: their sockets close with 4003 and they can no longer read. */
  memberRemoved(userId: string): void {
    this.#log.removeMember(userId);
    // They hear nothing more of this room's counts.
    this.#onlineMembers = null;
    for (const [ws, state] of this.#sockets) {
      if (state.user?.id === userId) this.#end(ws, CloseCode.AccessRemoved, "removed from the room");
    }
  }

  /** Sessions of the account ended (password change, log-out): close their sockets with 4001. */
  endSessions(userId: string, which: SessionSelector): void {
    // The next upgrade of this account asks its hub again.
    this.#hubs.sessionsEnded(userId);
    for (const [ws, state] of this.#sockets) {
      if (state.user?.id === userId && sessionMatches(state.sid, which)) {
        this.#end(ws, CloseCode.SessionEnded, which.why);
      }
    }
  }

  /**
   * The account holds sockets in more rooms than MAX_OPEN_ROOMS and this is the oldest its
   * hub knew of: the account's sockets here close (4009), and the hub has forgotten this room.
   */
  tooManyRooms(userId: string): void {
    for (const ws of this.ctx.getWebSockets(userId))
      if (this.#sockets.has(ws)) this.#end(ws, CloseCode.TooManyConnections, "too many rooms open");
    // Unregistered: the next upgrade asks the hub again, and nothing needs telling it.
    this.#hubs.forget(userId);
  }

  renamed(name: string): void {
    this.#log.rename(name);
  }

  /** The owner set the topic: everyone here sees it at once (it is stored in Postgres only). */
  topicChanged(topic: string | null): void {
    this.#broadcast({ type: "room_updated", topic });
  }

  /** The room was deleted: everyone is told (4003) and this object forgets it. */
  async deleted(): Promise<void> {
    for (const ws of [...this.#sockets.keys()])
      this.#end(ws, CloseCode.AccessRemoved, "the room was deleted");
    this.#graceTimers.cancelAll();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    // A fresh log with no tables: a later request finds no room here (nor in Postgres),
    // gets 404, and leaves nothing stored.
    this.#log = new RoomLog(this.ctx.storage.sql);
    this.#recent.clear();
  }

  // ---- room rules ---------------------------------------------------------------------

  async #onFrame(ws: WebSocket, state: SocketState, raw: string | ArrayBuffer): Promise<void> {
    const parsed = parseClientFrame(raw);
    // Sends have their own allowance (#send); every other frame, bad ones included, draws
    // on the socket's frame budget.
    if (parsed.kind !== "frame" || parsed.frame.type !== "send") {
      const cost = parsed.kind === "frame" && parsed.frame.type === "hello" ? HELLO_COST : 1;
      if (!this.#chargeFrame(ws, cost)) return;
    }
    const frame: ClientFrame | null = frameOrAnswer(ws, parsed, (socket, code, reason) =>
      this.#end(socket, code, reason),
    );
    if (!frame) return;
    switch (frame.type) {
      case "hello":
        this.#hello(ws, state, frame.lastSeq, {
          batch: frame.batch === true,
          presenceChanges: frame.presenceChanges === true,
          presenceVersion: frame.presenceVersion,
        });
        return;
      case "send":
        await this.#send(ws, state, frame.clientId, frame.body);
        return;
      // Typing and receipts only count from people who may write here; from readers they
      // are ignored rather than refused, as clients send receipts on their own.
      case "typing":
        if (state.canWrite && state.user) this.#setTyping(state.user, frame.active);
        return;
      case "delivered":
      case "read":
        if (state.canWrite && state.user) await this.#receipt(state.user, frame.type, frame.seq);
        return;
      default:
        frame satisfies never;
    }
  }

  #hello(
    ws: WebSocket,
    state: SocketState,
    lastSeq: number | undefined,
    features: { batch: boolean; presenceChanges: boolean; presenceVersion: string | undefined },
  ): void {
    const room = this.#log.room;
    if (!room) throw new Error("hello before the room was initialised");
    // What was queued under the old choice leaves first, in order.
    this.#coalescer.flushSocket(ws);
    /** Whether this listed the user: someone new, not one back within their grace period. */
    let arrived = false;
    if (!state.joined && state.user) {
      arrived = this.#roster.joined(state.user);
      this.#graceTimers.cancel(state.user.id);
      // A member who just came online is asked of Postgres again, so they hear the counts too.
      const arriving = state.user.id;
      if (arrived && !state.user.guest && !this.#onlineMembers?.list.some((m) => m.userId === arriving))
        this.#onlineMembers = null;
    }
    if (
      !state.joined ||
      (state.batch ?? false) !== features.batch ||
      (state.presenceChanges ?? false) !== features.presenceChanges
    ) {
      state.joined = true;
      state.batch = features.batch;
      state.presenceChanges = features.presenceChanges;
      ws.serializeAttachment(state);
    }
    // Its `ready` lists who is online now: unless that is the last broadcast's list, changes
    // it is sent later cannot start from there.
    const presenceVersion = this.#presenceVersion();
    if (presenceVersion === this.#presenceSnapshot?.version) this.#readyVersions.delete(ws);
    else this.#readyVersions.set(ws, presenceVersion);
    // A resuming client that holds the current list is not sent it again: in a big room
    // that list is most of what a reconnect costs.
    const holdsList = features.presenceChanges && features.presenceVersion === presenceVersion;
    const latest = this.#log.latestSeq;
    this.#expireTyping();
    this.#reply(ws, {
      type: "ready",
      room: { id: room.id, name: room.name, visibility: room.visibility, canWrite: state.canWrite },
      seq: latest,
      ...(holdsList ? {} : { online: this.#roster.online() }),
      typing: this.#typing.users(),
      receipts: this.#log.receipts(READY_RECEIPTS),
      ...(features.presenceChanges ? { presenceVersion } : {}),
    });
    const recent = lastSeq === undefined ? null : this.#recent.after(lastSeq, latest);
    if (recent) {
      for (const text of recent) this.#coalescer.post(ws, text, features.batch);
    } else if (lastSeq !== undefined && lastSeq < latest) {
      const oldest = this.#log.oldestSeq();
      if (oldest === null || oldest > lastSeq + 1 || latest - lastSeq > HOT_TAIL) {
        this.#reply(ws, { type: "resync", seq: latest });
      } else {
        for (const message of this.#log.after(lastSeq, HOT_TAIL))
          this.#reply(ws, { type: "message", ...message });
      }
    }
    // Everyone else learns who joined; this socket already has it in `ready`.
    if (arrived) this.#presenceChanged();
  }

  async #send(ws: WebSocket, state: SocketState, clientId: string, rawBody: string): Promise<void> {
    // A send that cannot be sent (a reader's, a bad body) takes no send allowance: it is
    // charged as a frame like any other.
    if (!state.canWrite || !state.user) {
      if (!this.#chargeFrame(ws, 1)) return;
      const message =
        state.user === null
          ? "Sign up or log in to chat here."
          : state.user.guest
            ? "Guests can chat in the lobby only. Sign up to chat here."
            : "You cannot post in this room.";
      this.#reply(ws, { type: "error", code: "forbidden", message, clientId });
      return;
    }
    const author = state.user;
    const body = normaliseBody(rawBody);
    if (body === null) {
      if (!this.#chargeFrame(ws, 1)) return;
      this.#reply(ws, {
        type: "error",
        code: "invalid_body",
        message: "A message must be 1–4000 characters after trimming, without NUL or broken characters.",
        clientId,
      });
      return;
    }
    const now = Date.now();
    const limiter = this.#sendLimiter(state.sendKey ?? author.id, now);
    if (!limiter.allows(now)) {
      // A retry is answered even over the limit: it adds nothing to the room.
      if (this.#replyWithOriginalAck(ws, author, clientId)) return;
      this.#reply(ws, {
        type: "error",
        code: "rate_limited",
        message: "You are sending too fast; this message was not sent. Try again in a moment.",
        clientId,
      });
      if (limiter.take(now) === "cut_off") this.#end(ws, CloseCode.RateLimited, "rate limited");
      return;
    }
    // The author comes from the session, never from the frame. The write is durable
    // before the broadcast and the ack leave: the output gate holds them until it is.
    const message = this.#log.appendIfNew(author, body, clientId, now);
    if (!message) {
      // A retried send (same sender, same clientId) gets the original ack and nothing else.
      this.#replyWithOriginalAck(ws, author, clientId);
      return;
    }
    limiter.take(now);
    // Whoever writes here has read up to their own message: it never counts as unread for
    // them, in any tab. Quietly: the next receipt they send tells the others.
    if (!author.guest) this.#log.advanceReceipt(author, "read", message.seq);
    // Sending ends typing, and the others hear that before the message itself.
    this.#setTyping(author, false);
    const text = JSON.stringify({ type: "message", ...message } satisfies ServerFrame);
    this.#latestAt = new Date(message.createdAt);
    this.#flusher.markActivityBehind();
    this.#tellMembersSoon();
    this.#recent.add(message.seq, text);
    this.#broadcastText(text);
    this.#reply(ws, ackFor(message));
    await this.#flusher.messageAppended();
  }

  /** Answers a retry with the ack its first send got; false when `clientId` is new. */
  #replyWithOriginalAck(ws: WebSocket, author: UserRef, clientId: string): boolean {
    const original = this.#log.findAck(author.id, clientId);
    if (original) this.#reply(ws, { type: "ack", ...original });
    return original !== null;
  }

  /** The allowance for `key`: a user id, or a guest's address (SocketState.sendKey). */
  #sendLimiter(key: string, now: number): SendLimiter {
    let limiter = this.#sendLimits.get(key);
    if (!limiter) {
      limiter = new SendLimiter(now);
      this.#sendLimits.set(key, limiter);
    }
    return limiter;
  }

  /** Charges a frame to the socket's budget (sockets/frame-budget.ts); false when it is dropped. */
  #chargeFrame(ws: WebSocket, cost: number): boolean {
    const now = Date.now();
    let budget = this.#frameBudgets.get(ws);
    if (!budget) {
      budget = new FrameBudget(now);
      this.#frameBudgets.set(ws, budget);
    }
    return chargeFrame(ws, budget, cost, now, (socket, code, reason) => this.#end(socket, code, reason));
  }

  /** A user past MAX_ROOM_SOCKETS_PER_USER here: their oldest sockets close (4009). */
  #closeOldestBeyondCap(userId: string): void {
    if (this.#roster.socketCount(userId) <= MAX_ROOM_SOCKETS_PER_USER) return;
    const theirs = this.ctx.getWebSockets(userId).filter((ws) => this.#sockets.has(ws));
    const connectedAt = (ws: WebSocket) => this.#sockets.get(ws)?.connectedAt ?? 0;
    for (const ws of oldestBeyondCap(theirs, connectedAt, MAX_ROOM_SOCKETS_PER_USER))
      this.#end(ws, CloseCode.TooManyConnections, "too many connections");
  }

  // ---- typing -------------------------------------------------------------------------

  #setTyping(user: UserRef, active: boolean): void {
    const now = Date.now();
    const changed = active ? this.#typing.start(user, now) : this.#typing.stop(user.id) !== null;
    // Every send stops its author's typing: when they were not typing, there is nothing to do.
    if (!active && !changed) return;
    if (changed) this.#broadcast({ type: "typing", user, active });
    this.#expireTyping();
  }

  /** Tells everyone whose deferred start fell due or whose typing ran out, and sets a timer for the next. */
  #expireTyping(): void {
    const now = Date.now();
    for (const user of this.#typing.due(now)) this.#broadcast({ type: "typing", user, active: true });
    for (const user of this.#typing.expire(now)) this.#broadcast({ type: "typing", user, active: false });
    if (this.#typingTimer !== undefined) clearTimeout(this.#typingTimer);
    const next = this.#typing.nextExpiry();
    if (next !== null)
      this.#typingTimer = setTimeout(() => this.#expireTyping(), Math.max(0, next - Date.now()));
  }

  // ---- receipts -----------------------------------------------------------------------

  async #receipt(user: UserRef, kind: "delivered" | "read", seq: number): Promise<void> {
    const receipt = this.#log.advanceReceipt(user, kind, seq);
    if (!receipt) return;
    if (kind === "read") this.#tellReader(user, receipt.read);
    this.#receiptsToSend.set(receipt.userId, receipt);
    this.#receiptTimer ??= setTimeout(() => this.#sendReceipts(), RECEIPT_BROADCAST_MS);
    await this.#scheduleAlarm(RECEIPT_SAVE_DELAY_MS);
  }

  /** A member read here: their other tabs (and devices) clear this room's badge at once. */
  #tellReader(user: UserRef, readSeq: number): void {
    const room = this.#log.room;
    if (!room || user.guest) return;
    const now = this.#roomNow(room.id);
    const activity = this.#fanout.dueFor(now, user.id, unreadCount(now.latestSeq, 0, readSeq));
    if (activity) this.ctx.waitUntil(this.#tellHubs([{ userId: user.id, activity }]));
  }

  #sendReceipts(): void {
    this.#receiptTimer = undefined;
    for (const receipt of this.#receiptsToSend.values()) this.#broadcast({ type: "receipt", ...receipt });
    this.#receiptsToSend.clear();
  }

  // ---- Postgres -----------------------------------------------------------------------

  #roomNow(roomId: string): RoomNow {
    return {
      roomId,
      online: this.#roster.online().length,
      latestSeq: this.#log.latestSeq,
      latestAt: this.#latestAt,
    };
  }

  /** Members' hubs hear the room's counts soon: at most once per FANOUT_INTERVAL_MS. */
  #tellMembersSoon(): void {
    if (this.#fanoutTimer !== undefined) return;
    const wait = Math.max(0, this.#fanoutAt + FANOUT_INTERVAL_MS - Date.now());
    this.#fanoutTimer = setTimeout(() => {
      this.#fanoutTimer = undefined;
      this.#tellMembers().catch((error: unknown) =>
        console.warn(`room ${this.#log.room?.id}: cannot tell members' hubs:`, describeDatabaseError(error)),
      );
    }, wait);
  }

  /** Each online member whose badge or count moved hears it on their hub (`room_activity`). */
  async #tellMembers(): Promise<void> {
    const room = this.#log.room;
    if (!room) return;
    this.#fanoutAt = Date.now();
    let members = this.#onlineMembers;
    if (!members || this.#fanoutAt - members.at > ONLINE_MEMBERS_TTL_MS) {
      const list = await this.#flusher.withConnection((db) => onlineMembers(db, room.id));
      members = { list, at: Date.now() };
      this.#onlineMembers = members;
    }
    const now = this.#roomNow(room.id);
    const frames = this.#fanout.due(now, members.list, (userId) => this.#log.receipt(userId)?.read ?? 0);
    if (frames.length > 0) this.ctx.waitUntil(this.#tellHubs(frames));
  }

  async #tellHubs(frames: { userId: string; activity: RoomActivity }[]): Promise<void> {
    const results = await Promise.allSettled(
      frames.map(({ userId, activity }) => userHub(this.env, userId).roomActivity(activity)),
    );
    const failed = results.filter((r) => r.status === "rejected").length;
    if (failed > 0) console.warn(`room ${this.#log.room?.id}: ${failed} hubs missed room_activity`);
  }

  /**
   * One alarm serves flushing and the presence sweep: it is set to the earliest time
   * asked for, or (with `replace`) to exactly this time, as a flush backoff needs.
   */
  async #scheduleAlarm(delayMs: number, replace = false): Promise<void> {
    this.#alarmAt ??= await this.ctx.storage.getAlarm();
    const at = Date.now() + delayMs;
    if (this.#alarmAt !== null && !replace && this.#alarmAt <= at) return;
    this.#alarmAt = at;
    await this.ctx.storage.setAlarm(at);
  }

  /** Whether `viewer` may read (and write) this room, looking the room up on first use. */
  async #accessFor(roomId: string, viewer: UserRef | null): Promise<Access> {
    const lookup = await this.#ensureRoom(roomId);
    if (lookup.status !== "ok") return { status: lookup.status };
    let member = false;
    if (isMembersOnly(lookup.room.visibility) && viewer && !viewer.guest) {
      try {
        member = await this.#isMember(viewer.id);
      } catch (error) {
        console.warn(`room ${roomId}: cannot check membership in Postgres`, error);
        return { status: "unavailable" };
      }
    }
    const access = roomAccess(lookup.room.visibility, viewer, member);
    if (!access.read) return { status: refusal(lookup.room.visibility, viewer) };
    return { status: "ok", write: access.write };
  }

  /** Members are remembered here once seen; anyone else is looked up in Postgres. */
  async #isMember(userId: string): Promise<boolean> {
    if (this.#log.isKnownMember(userId)) return true;
    const room = this.#log.room;
    if (!room) return false;
    const member = await withDatabase(this.env, (db) => isMember(db, room.id, userId));
    if (member) this.#log.addMember(userId);
    return member;
  }

  async #ensureRoom(roomId: string): Promise<RoomLookup> {
    const known = this.#log.room;
    if (known) return known.id === roomId ? { status: "ok", room: known } : { status: "not_found" };
    let found: Awaited<ReturnType<typeof findRoomWithLatestSeq>>;
    let receipts: Receipt[] = [];
    try {
      found = await withDatabase(this.env, async (db) => {
        const room = await findRoomWithLatestSeq(db, roomId);
        if (room) receipts = await loadReceipts(db, roomId);
        return room;
      });
    } catch (error) {
      console.warn(`room ${roomId}: cannot load the room from Postgres`, error);
      return { status: "unavailable" };
    }
    if (!found) return { status: "not_found" };
    const room: RoomInfo = {
      id: found.id,
      name: found.name,
      visibility: found.visibility,
      ownerId: found.ownerId,
    };
    this.#log.initialise(room, found.latestSeq);
    this.#log.importReceipts(receipts);
    return { status: "ok", room };
  }

  // ---- presence -----------------------------------------------------------------------

  /** Closes sockets that neither pinged nor sent anything within the presence timeout. */
  #dropSilentSockets(now: number): void {
    for (const [ws, state] of this.#sockets) {
      const heard = { lastFrameAt: this.#lastFrameAt.get(ws), connectedAt: state.connectedAt };
      if (isSilent(this.ctx, ws, heard, now, this.#presenceTimeoutMs))
        this.#end(ws, CloseCode.Normal, "no ping for too long");
    }
  }

  /**
   * Closes a socket from this side (after the frames queued for it) and forgets it. The
   * room ends a socket for a reason that outlasts a reconnect (silence, an ended session,
   * removal, flooding), so its user gets no grace period.
   */
  #end(ws: WebSocket, code: number, reason: string): void {
    this.#coalescer.flushSocket(ws);
    closeQuietly(ws, code, reason);
    this.#drop(ws, false);
  }

  #track(ws: WebSocket, state: SocketState): void {
    this.#sockets.set(ws, state);
    if (state.user) this.#roster.added(state.user, state.joined);
  }

  /** Forgets a socket; `grace`: its user, if this was their last, stays listed a while. */
  #drop(ws: WebSocket, grace = true): void {
    const state = this.#sockets.get(ws);
    // Dropped once: a socket closed from this side is dropped again when its close arrives.
    const lastJoined =
      state !== undefined &&
      this.#sockets.delete(ws) &&
      state.user !== null &&
      this.#roster.removed(state.user, state.joined);
    this.#lastFrameAt.delete(ws);
    this.#frameBudgets.delete(ws);
    this.#coalescer.forget(ws);
    this.#readyVersions.delete(ws);
    const room = this.#log.room;
    if (state?.user && room && !this.#roster.hasSocketOf(state.user.id))
      this.#hubs.leftSoon(state.user.id, room.id);
    if (!lastJoined || !state?.user) return;
    // The user's last socket is gone: they are no longer typing, and no longer here once
    // their grace period ends without them coming back.
    this.#setTyping(state.user, false);
    const userId = state.user.id;
    if (grace) this.#graceTimers.set(userId, this.#offlineGraceMs, () => this.#leave(userId));
    else this.#leave(userId);
  }

  /** Unlists the user now, unless a socket of theirs joined: everyone else hears it. */
  #leave(userId: string): void {
    this.#graceTimers.cancel(userId);
    if (this.#roster.leave(userId)) this.#presenceChanged();
  }

  /** The version of `#roster.online()`, as clients see it in `ready` and presence frames. */
  #presenceVersion(): string {
    return `${this.#presenceEpoch}.${this.#roster.version}`;
  }

  /**
   * Someone came or went. The full list goes out at once when the room was quiet, and at
   * most once per interval while people keep arriving: a room filling up with N people
   * would otherwise send N lists to N sockets. The interval grows with the room.
   */
  #presenceChanged(): void {
    this.#flusher.markActivityBehind();
    this.#tellMembersSoon();
    this.#flusher.soon(ACTIVITY_PUSH_MS);
    if (this.#presenceTimer !== undefined) return;
    const wait = this.#presenceSentAt + presenceIntervalMs(this.#sockets.size) - Date.now();
    if (wait <= 0) {
      this.#broadcastPresence();
      return;
    }
    this.#presenceTimer = setTimeout(() => {
      this.#presenceTimer = undefined;
      this.#broadcastPresence();
    }, wait);
  }

  /**
   * Sends who is online: the full list (`presence`), or for clients that read them, only
   * the changes since the last broadcast (`presence_change`), which stays small however
   * big the room. A socket whose `ready` already has this list (such as the newcomer's)
   * gets nothing; one whose `ready` had another list than the last broadcast's, or any
   * socket when the last broadcast is unknown (the object woke up), gets the full list.
   * Nothing goes out when the changes cancelled out (someone left and came back meanwhile).
   */
  #broadcastPresence(): void {
    const online = this.#roster.online();
    const version = this.#presenceVersion();
    const current = new Map(online.map((user) => [user.id, user]));
    const previous = this.#presenceSnapshot?.online;
    const joined = previous ? online.filter((user) => !previous.has(user.id)) : online;
    const left = previous ? [...previous.keys()].filter((id) => !current.has(id)) : [];
    if (previous && joined.length === 0 && left.length === 0) return;
    this.#presenceSentAt = Date.now();
    this.#presenceSnapshot = { online: current, version };
    // Every list shows #general and the lobby: their counts go to everyone online.
    const roomId = this.#log.room?.id;
    if (roomId && PINNED_ROOM_IDS.includes(roomId))
      this.ctx.waitUntil(onlineDirectory(this.env).setRoomOnline(roomId, online.length));
    const fullText = JSON.stringify({ type: "presence", online } satisfies ServerFrame);
    /** The full list for clients that track versions (made only if one needs it). */
    let versionedText: string | undefined;
    const changeText =
      previous && JSON.stringify({ type: "presence_change", joined, left, version } satisfies ServerFrame);
    for (const [ws, state] of this.#sockets) {
      const readyVersion = this.#readyVersions.get(ws);
      if (!state.joined || readyVersion === version) continue;
      let text = fullText;
      if (state.presenceChanges === true && changeText && readyVersion === undefined) text = changeText;
      else if (state.presenceChanges === true) {
        versionedText ??= JSON.stringify({ type: "presence", online, version } satisfies ServerFrame);
        text = versionedText;
      }
      this.#coalescer.post(ws, text, state.batch === true);
    }
    this.#readyVersions.clear();
  }

  #broadcast(frame: ServerFrame): void {
    this.#broadcastText(JSON.stringify(frame));
  }

  /** A frame, already serialised, to every joined socket. */
  #broadcastText(text: string): void {
    // Keys, then a lookup: `for…of` over the map allocates an entry per socket (and
    // `forEach` with this callback about as much, measured in Node), and in a big room that
    // garbage brings the next collection sooner (DECISIONS, "Fourth pass").
    for (const ws of this.#sockets.keys()) {
      const state = this.#sockets.get(ws) as SocketState;
      if (state.joined) this.#coalescer.post(ws, text, state.batch === true);
    }
  }

  /** One frame to one socket, in order with what the socket was already sent. */
  #reply(ws: WebSocket, frame: ServerFrame): void {
    this.#coalescer.post(ws, JSON.stringify(frame), this.#sockets.get(ws)?.batch === true);
  }
}

/** Presence lists go out at most this often: 100 ms, plus 1 ms per socket, at most 2 s. */
export function presenceIntervalMs(sockets: number): number {
  return Math.min(2_000, 100 + sockets);
}

function ackFor(message: ChatMessage): ServerFrame {
  return {
    type: "ack",
    clientId: message.clientId,
    seq: message.seq,
    id: message.id,
    createdAt: message.createdAt,
  };
}
