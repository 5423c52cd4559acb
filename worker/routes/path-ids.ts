// The ids that appear in request paths, one schema per kind, checked at the boundary
// before any handler, query or Durable Object sees them (a malformed uuid reached
// Postgres as a 500; a NUL byte too).
//
// A malformed id names nothing, so it is answered exactly like a well-formed id that
// names nothing: 404 with the kind's not-found code. One answer for clients to handle,
// and nothing for an outsider to learn about the shape of ids from the errors.
import * as v from "valibot";
import { ApiError } from "../http-error.ts";
import { validate } from "../middleware/validate.ts";

/** What a malformed id of each kind is answered with. */
const NOT_FOUND = {
  room: () => new ApiError(404, "room_not_found", "No such room."),
  user: () => new ApiError(404, "user_not_found", "No such user."),
  friendRequest: () => new ApiError(404, "request_not_found", "No such friend request."),
  session: () => new ApiError(404, "session_not_found", "That session has already ended."),
  invite: () =>
    new ApiError(404, "invite_not_found", "This invite link has expired or was revoked. Ask for a new one."),
};
type IdKind = keyof typeof NOT_FOUND;

function isIdKind(name: string): name is IdKind {
  return Object.hasOwn(NOT_FOUND, name);
}

/** A string that matches `pattern`; a failure is reported with the kind as its message. */
function pathId(kind: IdKind, pattern: RegExp) {
  return v.pipe(v.string(kind), v.regex(pattern, kind));
}

/**
 * A room: generated ids (12 of a-z0-9), the lobby `general`, direct rooms' `dm-` + hex.
 * Lower case only: ids are minted that way, so `General` names nothing.
 */
export const ROOM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const roomId = pathId("room", ROOM_ID_PATTERN);

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** An account (users.id, a uuid). */
export const userId = pathId("user", UUID_PATTERN);
/** A friend request (friendships.id, a uuid). */
export const friendRequestId = pathId("friendRequest", UUID_PATTERN);

/** A signed-in session of the account (its `sid`, a uuid), in Settings. */
export const sessionId = pathId("session", UUID_PATTERN);

/** An invite link's token: 24 random bytes in base64url, as routes/rooms.ts mints them. */
export const inviteToken = pathId("invite", /^[A-Za-z0-9_-]{32}$/);

/**
 * Validates the route's path parameters, e.g. `pathIds({ id: roomId, userId })`; read
 * them with `c.req.valid("param")`. Put it first, so a bad id is answered before a body.
 */
export function pathIds<Entries extends v.ObjectEntries>(entries: Entries) {
  return validate("param", v.object(entries), (message) =>
    isIdKind(message) ? NOT_FOUND[message]() : new ApiError(404, "not_found", "No such API route."),
  );
}
