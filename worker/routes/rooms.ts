import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../app-types.ts";
import { findRoom, insertRoom, listPublicRooms, messagesBefore } from "../db/rooms.ts";
import { ApiError } from "../http-error.ts";
import { isOwnOrigin } from "../middleware/same-origin.ts";
import { requireUser } from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import { type ChatMessage, isStorableText, LIMITS } from "../protocol/room-protocol.ts";
import { ROOM_ID_HEADER, ROOM_USER_HEADER } from "../room/chat-room.ts";

const ROOM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const newRoom = v.object({
  name: v.pipe(
    v.string("is required"),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(64, "must be at most 64 characters"),
    v.check(isStorableText, "must not contain NUL or broken characters"),
  ),
  visibility: v.picklist(["public"], 'must be "public" (private rooms are not available yet)'),
});

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

function roomStub(c: { env: AppEnv["Bindings"] }, id: string) {
  return c.env.CHAT_ROOM.get(c.env.CHAT_ROOM.idFromName(id));
}

function roomIdParam(raw: string): string {
  if (!ROOM_ID.test(raw)) throw new ApiError(404, "room_not_found", "No such room.");
  return raw;
}

export const roomRoutes = new Hono<AppEnv>()
  // Each room's own object knows who is there, its latest seq and the user's read mark,
  // including messages not yet in Postgres. Unread counts start once a user has read a room.
  .get("/", async (c) => {
    const userId = c.get("user")?.id ?? null;
    const rooms = await listPublicRooms(c.get("db")());
    const listed = await Promise.all(
      rooms.map(async (room) => {
        const stats = await roomStub(c, room.id)
          .stats(userId)
          .catch((error: unknown) => {
            console.warn(`room ${room.id}: no stats for the room list`, error);
            return null;
          });
        const unread = stats?.readSeq == null ? 0 : Math.max(0, stats.latestSeq - stats.readSeq);
        return { ...room, online: stats?.online ?? 0, unread };
      }),
    );
    return c.json({ rooms: listed });
  })

  .post("/", validate("json", newRoom), async (c) => {
    const user = requireUser(c);
    const { name, visibility } = c.req.valid("json");
    const room = await insertRoom(c.get("db")(), { id: newRoomId(), name, visibility, ownerId: user.id });
    return c.json({ room }, 201);
  })

  .get("/:id", async (c) => {
    const room = await findRoom(c.get("db")(), roomIdParam(c.req.param("id")));
    if (!room) throw new ApiError(404, "room_not_found", "No such room.");
    return c.json({ room });
  })

  // History, newest first. Recent messages come from the room's own log (so one sent a
  // moment ago is never missing, even before it reaches Postgres, and recent history
  // still loads while Postgres is down); older pages come from Postgres.
  .get("/:id/messages", validate("query", page), async (c) => {
    const id = roomIdParam(c.req.param("id"));
    const { before = Number.MAX_SAFE_INTEGER, limit = LIMITS.defaultPageSize } = c.req.valid("query");
    const tail = await roomStub(c, id).historyTail(before, limit);
    let page: ChatMessage[] = tail.messages;
    const olderMayExist = tail.oldestSeq === null || tail.oldestSeq > 1;
    if (page.length < limit && olderMayExist) {
      const db = c.get("db")();
      if (!tail.known && !(await findRoom(db, id)))
        throw new ApiError(404, "room_not_found", "No such room.");
      const below = Math.min(before, tail.oldestSeq ?? before);
      page = page.concat(await messagesBefore(db, id, below, limit - page.length));
    }
    return c.json({ messages: page });
  })

  .get("/:id/ws", async (c) => {
    const id = roomIdParam(c.req.param("id"));
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket only.");
    }
    // Browsers always send Origin on WebSocket upgrades; refusing foreign ones stops other
    // sites from riding the user's cookie (cross-site WebSocket hijacking).
    if (!isOwnOrigin(c))
      throw new ApiError(403, "forbidden_origin", "WebSocket connections must come from this app.");
    const user = requireUser(c);
    const headers = new Headers({ Upgrade: "websocket" });
    headers.set(ROOM_ID_HEADER, id);
    headers.set(ROOM_USER_HEADER, JSON.stringify(user));
    const response = await roomStub(c, id).fetch("https://room.internal/ws", { headers });
    if (response.status === 404) throw new ApiError(404, "room_not_found", "No such room.");
    if (response.status === 503)
      throw new ApiError(503, "database_unavailable", "The database is unavailable.");
    return response;
  });
