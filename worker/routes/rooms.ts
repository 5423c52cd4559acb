import type { Context } from "hono";
import { Hono } from "hono";
import * as v from "valibot";
import { quotaMessage } from "../access/invite-quota.ts";
import { QUOTA_MESSAGES } from "../access/quotas.ts";
import { isHiddenFrom, isMembersOnly } from "../access/room-access.ts";
import type { AppEnv } from "../app-types.ts";
import { hashPassword, verifyPassword } from "../auth/password.ts";
import type { Database } from "../db/client.ts";
import { areFriends } from "../db/friends.ts";
import { insertInviteWithinQuota, listLiveInvites, revokeInvite } from "../db/invites.ts";
import { listOwnRooms, listPublicPage } from "../db/room-list.ts";
import { decodeCursor, encodeCursor } from "../db/room-list-cursor.ts";
import {
  addMember,
  deleteRoom,
  directPeers,
  findRoom,
  insertRoom,
  isMember,
  listMembers,
  messagesBefore,
  type RoomRecord,
  removeMember,
  updateRoom,
} from "../db/rooms.ts";
import { ApiError } from "../http-error.ts";
import { requireUser, socketUpgradeHeaders } from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import { displayNameSchema } from "../protocol/display-names.ts";
import { person } from "../protocol/hub-protocol.ts";
import { type ChatMessage, isStorableText, LIMITS, type UserRef } from "../protocol/room-protocol.ts";
import {
  limitRoomCreation,
  limitRoomEdits,
  limitSocialActions,
  quotaExceeded,
  ROOM_PASSWORD_FAILURES,
  reserveAttempt,
  reserveHashing,
} from "../rate-limit/limits.ts";
import { type HistoryTail, ROOM_ID_HEADER } from "../room/chat-room.ts";
import { presenceTimeoutMs } from "../sockets/socket-lifecycle.ts";
import { onlineDirectory } from "../user/online-directory.ts";
import { userHub } from "../user/user-hub.ts";
import { inviteToken, pathIds, roomId, userId } from "./path-ids.ts";

/** The room routes' `:id`. */
const inRoom = pathIds({ id: roomId });

const roomName = displayNameSchema(64);

const roomPassword = v.pipe(
  v.string("is required"),
  v.minLength(4, "must be at least 4 characters"),
  v.maxLength(128, "must be at most 128 characters"),
);

const newRoom = v.variant(
  "visibility",
  [
    v.object({ name: roomName, visibility: v.literal("public") }),
    v.object({ name: roomName, visibility: v.literal("private"), password: roomPassword }),
  ],
  'visibility: must be "public" or "private"',
);

/** Public rooms per page of the room list. */
const ROOM_PAGE_SIZE = 50;

const roomListQuery = v.object({
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(64, "must be at most 64 characters"))),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const cursor = decodeCursor(dataset.value);
        if (cursor) return cursor;
        addIssue({ message: "is not a cursor this list gave" });
        return NEVER;
      }),
    ),
  ),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, "must be a positive integer"),
      v.transform(Number),
      v.minValue(1, "must be at least 1"),
      v.maxValue(100, "must be at most 100"),
    ),
  ),
});

const joinBody = v.object({ password: v.optional(v.string("must be a string")) });

/** Line breaks and other control characters: a topic is one line in the room's header. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/** A topic: trimmed text of at most LIMITS.maxTopicLength, one line; empty or null clears it. */
const roomTopic = v.nullable(
  v.pipe(
    v.string("must be text or null"),
    v.trim(),
    v.maxLength(LIMITS.maxTopicLength, `must be at most ${LIMITS.maxTopicLength} characters`),
    v.check((topic) => !CONTROL_CHARACTERS.test(topic), "must be one line of text"),
    v.check(isStorableText, "holds characters that cannot be stored"),
    v.transform((topic) => (topic === "" ? null : topic)),
  ),
  "must be text or null",
);

const roomChanges = v.pipe(
  v.object({ name: v.optional(roomName), password: v.optional(roomPassword), topic: v.optional(roomTopic) }),
  v.check(
    (body) => body.name !== undefined || body.password !== undefined || body.topic !== undefined,
    "give a new name, password or topic",
  ),
);

/** Invite links last a week unless revoked. */
export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

function newInviteToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_");
}

const invitationBody = v.object({
  userId: v.pipe(v.string("is required"), v.uuid("must be a user id")),
});

/** One room-password guess: counted for hashing (address, account) and for the room. */
async function reserveRoomPasswordGuess(c: Context<AppEnv>, roomId: string, userId: string) {
  const hashing = await reserveHashing(c.env, {
    address: c.req.header("CF-Connecting-IP"),
    accountId: userId,
  });
  try {
    const attempt = await reserveAttempt(
      c.env,
      `join:${roomId}:${userId}`,
      ROOM_PASSWORD_FAILURES,
      "Too many wrong passwords for this room. Try again in a minute.",
    );
    return { hashing, attempt };
  } catch (refused) {
    await hashing.giveBack();
    throw refused;
  }
}

/** Who may invite people in: any account to an open room, members to a private one. */
async function requireInviter(db: Database, room: RoomRecord, userId: string): Promise<void> {
  if (room.visibility === "direct") {
    throw new ApiError(
      400,
      "invalid_input",
      "A direct conversation is for two people; start a room instead.",
    );
  }
  if (room.visibility === "private" && !(await isMember(db, room.id, userId))) {
    throw new ApiError(403, "forbidden", "Only members can invite people to this room.");
  }
}

/** A new live invite link, or 429 when the room (or this person) holds as many as allowed. */
async function createInvite(db: Database, roomId: string, createdBy: string) {
  const token = newInviteToken();
  const now = new Date();
  const expiresAt = new Date(now.getTime() + INVITE_TTL_MS);
  const verdict = await insertInviteWithinQuota(db, { token, roomId, createdBy, expiresAt }, now);
  if (!verdict.allowed) {
    const retryAfter = Math.max(1, Math.ceil((verdict.freesAt.getTime() - now.getTime()) / 1000));
    throw new ApiError(
      429,
      "too_many_invites",
      quotaMessage(verdict, now),
      { retryAfter },
      { "Retry-After": String(retryAfter) },
    );
  }
  return { token, expiresAt };
}

/**
 * The room, as far as `viewer` may know of it: a direct room exists for its two members
 * only; anyone else gets exactly the answer for a room that does not exist, so no route
 * tells who talks to whom.
 */
async function findKnownRoom(db: Database, id: string, viewer: UserRef | null): Promise<RoomRecord> {
  const room = await findRoom(db, id);
  const member =
    room?.visibility === "direct" && viewer && !viewer.guest ? await isMember(db, id, viewer.id) : false;
  if (!room || isHiddenFrom(room.visibility, viewer, member)) {
    throw new ApiError(404, "room_not_found", "No such room.");
  }
  return room;
}

/** Why `userId` may not leave `room`, or null when they may. */
function leaveRefusal(room: RoomRecord, userId: string): ApiError | null {
  if (room.visibility === "lobby" || room.id === "general") {
    return new ApiError(400, "cannot_leave", "Everyone is in this room; it cannot be left.");
  }
  if (room.visibility === "direct") {
    return new ApiError(400, "cannot_leave", "A direct conversation cannot be left.");
  }
  if (room.visibility === "private" && room.ownerId === userId) {
    return new ApiError(
      409,
      "owner_cannot_leave",
      "You own this room, so you cannot leave it: delete it from Settings instead.",
    );
  }
  return null;
}

/** The room, if the signed-in user owns it (404 when it does not exist, 403 otherwise). */
async function requireOwnedRoom(c: Context<AppEnv>): Promise<RoomRecord> {
  const user = requireUser(c);
  const room = await findKnownRoom(c.get("db")(), roomIdParam(c), user);
  if (room.ownerId !== user.id) throw new ApiError(403, "not_owner", "Only the room's owner can do this.");
  return room;
}

const page = v.object({
  before: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,15}$/, "must be a positive integer"), v.transform(Number)),
  ),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, "must be a positive integer"),
      v.transform(Number),
      v.minValue(1, "must be at least 1"),
      v.maxValue(LIMITS.maxPageSize, `must be at most ${LIMITS.maxPageSize}`),
    ),
  ),
});

function newRoomId(): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => alphabet[b % alphabet.length]).join(
    "",
  );
}

export function roomStub(env: AppEnv["Bindings"], id: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(id));
}

function roomIdParam(c: Context<AppEnv>): string {
  const raw = c.req.param("id") ?? "";
  if (!v.is(roomId, raw)) throw new ApiError(404, "room_not_found", "No such room.");
  return raw;
}

/** Turns a room object's refusal into the API's answer. */
function refuse(status: Exclude<HistoryTail["status"], "ok">): never {
  switch (status) {
    case "not_found":
      throw new ApiError(404, "room_not_found", "No such room.");
    case "unavailable":
      throw new ApiError(503, "database_unavailable", "The database is unavailable; try again shortly.");
    case "unauthenticated":
      throw new ApiError(401, "unauthenticated", "Sign in to read this room.");
    case "forbidden":
      throw new ApiError(403, "forbidden", "This room is private: join it with its password or an invite.");
  }
}

export const roomRoutes = new Hono<AppEnv>()
  // ---- owner's powers -------------------------------------------------------------------
  .patch("/:id", inRoom, validate("json", roomChanges), async (c) => {
    const room = await requireOwnedRoom(c);
    const { name, password, topic } = c.req.valid("json");
    await limitRoomEdits(c.env, requireUser(c).id);
    if (password !== undefined && room.visibility !== "private") {
      throw new ApiError(400, "invalid_input", "password: only private rooms have one", {
        field: "password",
      });
    }
    let passwordHash: string | undefined;
    if (password !== undefined) {
      await reserveHashing(c.env, {
        address: c.req.header("CF-Connecting-IP"),
        accountId: room.ownerId ?? undefined,
      });
      passwordHash = await hashPassword(password);
    }
    await updateRoom(c.get("db")(), room.id, {
      ...(name !== undefined ? { name } : {}),
      ...(passwordHash ? { passwordHash } : {}),
      ...(topic !== undefined ? { topic } : {}),
    });
    if (name !== undefined) await roomStub(c.env, room.id).renamed(name);
    if (topic !== undefined) await roomStub(c.env, room.id).topicChanged(topic);
    return c.json({
      room: {
        id: room.id,
        name: name ?? room.name,
        visibility: room.visibility,
        topic: topic === undefined ? room.topic : topic,
        member: true,
        owner: true,
      },
    });
  })

  // Deleting a room removes its history too (documented in docs/DECISIONS.md); everyone
  // inside is disconnected with 4003.
  .delete("/:id", inRoom, async (c) => {
    const room = await requireOwnedRoom(c);
    await deleteRoom(c.get("db")(), room.id);
    await roomStub(c.env, room.id).deleted();
    return c.body(null, 204);
  })

  // Who belongs to a private room or a direct conversation, online first in the client's
  // eyes: each with whether they are online in the app now and, if not, when they were
  // last seen. For members (and so the owner) only; public rooms show who is there instead.
  .get("/:id/members", inRoom, async (c) => {
    const user = requireUser(c);
    const id = roomIdParam(c);
    const db = c.get("db")();
    const room = await findKnownRoom(db, id, user);
    if (!isMembersOnly(room.visibility)) {
      throw new ApiError(
        400,
        "invalid_input",
        "Only private rooms and direct conversations have a member list.",
      );
    }
    if (!(await isMember(db, id, user.id))) refuse("forbidden");
    const members = await listMembers(db, id);
    const online = new Set(await onlineDirectory(c.env).onlineAmong(members.map((m) => m.id)));
    return c.json({
      members: members.map((m) => ({
        ...m,
        online: online.has(m.id),
        lastSeenAt: online.has(m.id) ? null : m.lastSeenAt,
      })),
    });
  })

  .get("/:id/invites", inRoom, async (c) => {
    const room = await requireOwnedRoom(c);
    const origin = new URL(c.req.url).origin;
    const live = await listLiveInvites(c.get("db")(), room.id, new Date());
    return c.json({
      invites: live.map((i) => ({
        token: i.token,
        url: `${origin}/invite/${i.token}`,
        expiresAt: i.expiresAt.toISOString(),
        createdBy: i.createdBy,
      })),
    });
  })

  .delete("/:id/members/:userId", pathIds({ id: roomId, userId }), async (c) => {
    const room = await requireOwnedRoom(c);
    const { userId } = c.req.valid("param");
    if (userId === room.ownerId)
      throw new ApiError(400, "invalid_input", "The owner cannot remove themselves.");
    if (!(await removeMember(c.get("db")(), room.id, userId))) {
      throw new ApiError(404, "member_not_found", "That user is not a member of this room.");
    }
    await roomStub(c.env, room.id).memberRemoved(userId);
    return c.body(null, 204);
  })

  // Leaving: the member's row goes, with the invite links they made (so no link of theirs
  // outlives their membership), and their sockets in a members-only room close with 4003.
  // The rooms everyone shares, a direct conversation (its two people are the room) and a
  // private room by its owner (it would have no one to run it) cannot be left.
  .delete("/:id/membership", inRoom, async (c) => {
    const user = requireUser(c);
    const db = c.get("db")();
    const room = await findKnownRoom(db, roomIdParam(c), user);
    const refusal = leaveRefusal(room, user.id);
    if (refusal) throw refusal;
    if (!(await removeMember(db, room.id, user.id))) {
      throw new ApiError(404, "not_member", "You are not a member of this room.");
    }
    if (isMembersOnly(room.visibility)) await roomStub(c.env, room.id).memberRemoved(user.id);
    return c.body(null, 204);
  })

  // ---- invites ------------------------------------------------------------------------
  .post("/:id/invites", inRoom, async (c) => {
    const user = requireUser(c);
    const id = roomIdParam(c);
    const db = c.get("db")();
    const room = await findKnownRoom(db, id, user);
    await requireInviter(db, room, user.id);
    const { token, expiresAt } = await createInvite(db, room.id, user.id);
    const url = `${new URL(c.req.url).origin}/invite/${token}`;
    return c.json({ token, url, expiresAt: expiresAt.toISOString() }, 201);
  })

  // "Invite friends": a live invitation on the friend's hub, carrying an invite token, so
  // one click joins them even to a private room. Kept by their hub until used or dismissed.
  .post("/:id/invitations", inRoom, validate("json", invitationBody), async (c) => {
    const user = requireUser(c);
    const id = roomIdParam(c);
    const { userId } = c.req.valid("json");
    const db = c.get("db")();
    const room = await findKnownRoom(db, id, user);
    await requireInviter(db, room, user.id);
    if (!(await areFriends(db, user.id, userId))) {
      throw new ApiError(403, "not_friends", "You can invite your friends only.", { field: "userId" });
    }
    await limitSocialActions(c.env, user.id);
    if (await isMember(db, id, userId)) {
      throw new ApiError(409, "already_member", "They are already in this room.", { field: "userId" });
    }
    const { token, expiresAt } = await createInvite(db, room.id, user.id);
    await userHub(c.env, userId).roomInvited({
      token,
      room: { id: room.id, name: room.name, visibility: room.visibility },
      from: person({ id: user.id, username: user.name }),
      expiresAt: expiresAt.toISOString(),
    });
    return c.json({ token, expiresAt: expiresAt.toISOString() }, 201);
  })

  // The owner revokes any of the room's links; a member, the links they made (another's
  // link is answered as one that is not there, so its existence is not confirmed).
  .delete("/:id/invites/:token", pathIds({ id: roomId, token: inviteToken }), async (c) => {
    const user = requireUser(c);
    const db = c.get("db")();
    const room = await findKnownRoom(db, roomIdParam(c), user);
    const owner = room.ownerId === user.id;
    if (!owner && !(isMembersOnly(room.visibility) ? await isMember(db, room.id, user.id) : true)) {
      throw new ApiError(403, "forbidden", "Only members can revoke this room's invite links.");
    }
    if (!(await revokeInvite(db, room.id, c.req.valid("param").token, owner ? undefined : user.id))) {
      throw new ApiError(404, "invite_not_found", "No such invite for this room.");
    }
    return c.body(null, 204);
  })

  // ---- reading and joining ----------------------------------------------------------
  // The lobby, #general and every room the person belongs to, then public rooms a page at a
  // time (most recently active first; `q` filters by name, `cursor` is the last answer's
  // `nextCursor`). Counts come from what each room pushed (room_activity): one query, no
  // call to any room, at most a couple of seconds old.
  .get("/", validate("query", roomListQuery), async (c) => {
    const user = c.get("user");
    const userId = user && !user.guest ? user.id : null;
    const { q, cursor, limit = ROOM_PAGE_SIZE } = c.req.valid("query");
    const db = c.get("db")();
    // A room pushes while anyone is there: an older push is from a room that went away.
    const onlineSince = new Date(Date.now() - 2 * presenceTimeoutMs(c.env));
    const [own, page] = await Promise.all([
      cursor ? [] : listOwnRooms(db, userId, onlineSince),
      listPublicPage(db, { userId, onlineSince, filter: q, cursor: cursor ?? null, limit }),
    ]);
    const peers = userId
      ? await directPeers(
          db,
          userId,
          own.filter((r) => r.visibility === "direct").map((r) => r.id),
        )
      : new Map<string, { id: string; username: string }>();
    const named = own.map((room) => {
      const peer = peers.get(room.id);
      return peer ? { ...room, name: peer.username, peer } : room;
    });
    const listed = new Set(own.map((room) => room.id));
    return c.json({
      rooms: [...named, ...page.rooms.filter((room) => !listed.has(room.id))],
      nextCursor: page.next ? encodeCursor(page.next) : null,
    });
  })

  .post("/", validate("json", newRoom), async (c) => {
    const user = requireUser(c);
    const body = c.req.valid("json");
    await limitRoomCreation(c.env, c.req.header("CF-Connecting-IP"));
    let passwordHash: string | undefined;
    if (body.visibility === "private") {
      await reserveHashing(c.env, { address: c.req.header("CF-Connecting-IP"), accountId: user.id });
      passwordHash = await hashPassword(body.password);
    }
    const room = await insertRoom(c.get("db")(), {
      id: newRoomId(),
      name: body.name,
      visibility: body.visibility,
      ownerId: user.id,
      ...(passwordHash ? { passwordHash } : {}),
    });
    if (!room) throw quotaExceeded(QUOTA_MESSAGES.ownedRooms);
    return c.json({ room: { ...room, topic: null, member: true, owner: true } }, 201);
  })

  // A private room shows only its name (and that it is private) to non-members.
  .get("/:id", inRoom, async (c) => {
    const id = roomIdParam(c);
    const user = c.get("user");
    const room = await findKnownRoom(c.get("db")(), id, user);
    const account = user && !user.guest ? user : null;
    const member = isMembersOnly(room.visibility)
      ? account !== null && (await isMember(c.get("db")(), id, account.id))
      : true;
    // A direct room is called after the other person, as each of the two sees it (only
    // they get this far: findKnownRoom hid it from everyone else).
    const peer =
      room.visibility === "direct" && account
        ? (await directPeers(c.get("db")(), account.id, [id])).get(id)
        : undefined;
    return c.json({
      room: {
        id: room.id,
        name: peer?.username ?? room.name,
        ...(peer ? { peer } : {}),
        visibility: room.visibility,
        // Like the rest of a private room, its topic is for members only.
        ...(member ? { topic: room.topic } : {}),
        member,
        owner: account !== null && room.ownerId === account.id,
      },
    });
  })

  // Joining a private room takes its password once; membership lasts. Wrong guesses are
  // limited per user and room before any hashing.
  .post("/:id/join", inRoom, validate("json", joinBody), async (c) => {
    const user = requireUser(c);
    const id = roomIdParam(c);
    const { password } = c.req.valid("json");
    // A password is a guess: its limits are reserved before anything else, so a flood of
    // guesses past them costs neither the database nor a hash.
    const guess = password ? await reserveRoomPasswordGuess(c, id, user.id) : null;
    const db = c.get("db")();
    const room = await findKnownRoom(db, id, user);
    const summary = { id: room.id, name: room.name, visibility: room.visibility, member: true };
    const alreadyMember = isMembersOnly(room.visibility) && (await isMember(db, id, user.id));
    if (room.visibility !== "private" || alreadyMember) {
      // No password was needed: nothing was guessed, nothing hashed.
      await guess?.hashing.giveBack();
      await guess?.attempt.giveBack();
      await addMember(db, id, user.id);
      return c.json({ room: { ...summary, owner: room.ownerId === user.id } });
    }
    if (!password || !guess || !room.passwordHash || !(await verifyPassword(password, room.passwordHash))) {
      throw new ApiError(403, "wrong_password", "That password is not right for this room.", {
        field: "password",
      });
    }
    // The right password was no guess; its hash still counts.
    await guess.attempt.giveBack();
    await addMember(db, id, user.id);
    await roomStub(c.env, id).memberAdded(user.id);
    return c.json({ room: { ...summary, owner: false } });
  })

  // History, newest first. Recent messages come from the room's own log (so one sent a
  // moment ago is never missing, even before it reaches Postgres, and recent history
  // still loads while Postgres is down); older pages come from Postgres.
  .get("/:id/messages", inRoom, validate("query", page), async (c) => {
    const id = roomIdParam(c);
    const { before = Number.MAX_SAFE_INTEGER, limit = LIMITS.defaultPageSize } = c.req.valid("query");
    const tail = await roomStub(c.env, id).historyTail(id, c.get("user"), before, limit);
    if (tail.status !== "ok") refuse(tail.status);
    let page: ChatMessage[] = tail.messages;
    const olderMayExist = tail.oldestSeq === null || tail.oldestSeq > 1;
    if (page.length < limit && olderMayExist) {
      const below = Math.min(before, tail.oldestSeq ?? before);
      page = page.concat(await messagesBefore(c.get("db")(), id, below, limit - page.length));
    }
    return c.json({ messages: page });
  })

  // Visitors get a read-only socket for the rooms they may read; the room decides.
  .get("/:id/ws", inRoom, async (c) => {
    const id = roomIdParam(c);
    // The room confirms an account's session version with its hub (or remembers doing so).
    const headers = socketUpgradeHeaders(c);
    headers.set(ROOM_ID_HEADER, id);
    const response = await roomStub(c.env, id).fetch("https://room.internal/ws", { headers });
    if (response.status !== 101) {
      const status = await response.text();
      refuse(status as Exclude<HistoryTail["status"], "ok">);
    }
    return response;
  });
