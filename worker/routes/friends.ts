// Friends: requests by username, accept, decline or cancel, remove, and the direct room of
// two friends. Postgres holds the truth; each change is then told live to both people's
// UserHubs (best effort: a hub that misses it has the truth again on its next `ready`).
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { QUOTA_MESSAGES } from "../access/quotas.ts";
import type { AppEnv } from "../app-types.ts";
import {
  acceptFriendRequest,
  deleteFriendRequest,
  deleteFriendship,
  findFriend,
  findFriendship,
  findFriendshipById,
  insertFriendRequest,
  peopleWithTimes,
} from "../db/friends.ts";
import { openDirectRoom } from "../db/rooms.ts";
import { findUserByUsername } from "../db/users.ts";
import { ApiError } from "../http-error.ts";
import { requireUser } from "../middleware/session.ts";
import { validate } from "../middleware/validate.ts";
import { person } from "../protocol/hub-protocol.ts";
import { limitSocialActions, quotaExceeded } from "../rate-limit/limits.ts";
import { newDirectRoomId } from "../user/direct-room.ts";
import { friendEntry, loadFriendList } from "../user/friend-list.ts";
import { userHub } from "../user/user-hub.ts";
import { usernameSchema } from "./auth.ts";
import { friendRequestId, pathIds, userId } from "./path-ids.ts";

const byRequest = pathIds({ id: friendRequestId });
const byUser = pathIds({ userId });

const requestBody = v.object({ username: usernameSchema });

/** Runs the live notifications; a hub that is unreachable only delays what it shows. */
async function tell(...notifications: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(notifications);
  for (const r of results)
    if (r.status === "rejected") console.warn("friends: a hub missed an update", r.reason);
}

export const friendRoutes = new Hono<AppEnv>()
  .get("/", async (c) => {
    const user = requireUser(c);
    return c.json(await loadFriendList(c.env, c.get("db")(), user.id));
  })

  // Asking someone who already asked you accepts their request: that is what both want.
  .post("/requests", validate("json", requestBody), async (c) => {
    const me = requireUser(c);
    const { username } = c.req.valid("json");
    if (username === me.name) {
      throw new ApiError(400, "cannot_befriend_self", "You cannot send a friend request to yourself.", {
        field: "username",
      });
    }
    await limitSocialActions(c.env, me.id);
    const db = c.get("db")();
    const them = await findUserByUsername(db, username);
    if (!them)
      throw new ApiError(404, "user_not_found", `There is no user called ${username}.`, {
        field: "username",
      });
    const existing = await findFriendship(db, me.id, them.id);
    if (existing?.status === "accepted") {
      throw new ApiError(409, "already_friends", `You and ${username} are already friends.`, {
        field: "username",
      });
    }
    if (existing && existing.requester.id === me.id) {
      throw new ApiError(409, "request_pending", `You already asked ${username}; waiting for them.`, {
        field: "username",
      });
    }
    if (existing) return c.json(await accept(c, existing.id, me.id), 200);

    const id = crypto.randomUUID();
    const sent = await insertFriendRequest(db, { id, requesterId: me.id, addresseeId: them.id });
    if (sent.status === "over_quota") throw quotaExceeded(QUOTA_MESSAGES.pendingFriendRequests);
    if (sent.status === "conflict") {
      // They asked at the same moment: the row is theirs, so accept it.
      const raced = await findFriendship(db, me.id, them.id);
      if (raced && raced.status === "pending" && raced.addressee.id === me.id)
        return c.json(await accept(c, raced.id, me.id), 200);
      throw new ApiError(409, "request_pending", `You and ${username} already have a request open.`);
    }
    const to = person(them);
    await tell(
      userHub(c.env, them.id).friendRequestReceived(id, person({ id: me.id, username: me.name })),
      userHub(c.env, me.id).friendRequestSent(id, to),
    );
    return c.json({ request: { id, to } }, 201);
  })

  .post("/requests/:id/accept", byRequest, async (c) => {
    const me = requireUser(c);
    return c.json(await accept(c, c.req.valid("param").id, me.id));
  })

  // Declining (by the one asked) and cancelling (by the one asking) both delete the request.
  .post("/requests/:id/decline", byRequest, async (c) => removeRequest(c, c.req.valid("param").id, "decline"))
  .delete("/requests/:id", byRequest, async (c) => removeRequest(c, c.req.valid("param").id, "cancel"))

  .delete("/:userId", byUser, async (c) => {
    const me = requireUser(c);
    const them = c.req.valid("param").userId;
    if (!(await deleteFriendship(c.get("db")(), me.id, them))) {
      throw new ApiError(404, "not_friends", "You are not friends with that user.");
    }
    await tell(userHub(c.env, me.id).friendRemoved(them), userHub(c.env, them).friendRemoved(me.id));
    return c.body(null, 204);
  })

  // "Message": the two friends' direct room, created the first time and reused after.
  .post("/:userId/dm", byUser, async (c) => {
    const me = requireUser(c);
    const db = c.get("db")();
    const peer = await findFriend(db, me.id, c.req.valid("param").userId);
    if (!peer) {
      throw new ApiError(403, "not_friends", "You can message friends only: send a friend request first.");
    }
    const room = await openDirectRoom(db, newDirectRoomId(), [{ id: me.id, username: me.name }, peer]);
    return c.json({
      room: {
        id: room.id,
        name: peer.username,
        visibility: room.visibility,
        member: true,
        owner: false,
        peer,
      },
    });
  });

/** Accepts request `id` addressed to `meId`, tells both people, and returns the new friend. */
async function accept(c: Context<AppEnv>, id: string, meId: string) {
  const db = c.get("db")();
  const request = await findFriendshipById(db, id);
  if (request?.status !== "pending" || request.addressee.id !== meId) {
    throw new ApiError(404, "request_not_found", "No such friend request waiting for you.");
  }
  if (!(await acceptFriendRequest(db, id, meId))) {
    throw new ApiError(404, "request_not_found", "That request was withdrawn or already answered.");
  }
  const people = await peopleWithTimes(db, [request.requester.id, request.addressee.id]);
  const [requester, addressee] = await Promise.all(
    [request.requester.id, request.addressee.id].map((pid) => {
      const p = people.find((x) => x.id === pid);
      if (!p) throw new Error(`friend ${pid} vanished while accepting`);
      return friendEntry(c.env, p);
    }),
  );
  if (!requester || !addressee) throw new Error("accepting a friend request lost a side");
  await tell(
    userHub(c.env, request.requester.id).friendAdded(addressee),
    userHub(c.env, request.addressee.id).friendAdded(requester),
  );
  return { friend: requester };
}

async function removeRequest(c: Context<AppEnv>, id: string, how: "decline" | "cancel") {
  const me = requireUser(c);
  const side = how === "decline" ? "addressee" : "requester";
  const removed = await deleteFriendRequest(c.get("db")(), id, me.id, side);
  if (!removed) throw new ApiError(404, "request_not_found", "No such friend request.");
  await tell(
    userHub(c.env, removed.requesterId).friendRequestRemoved(id),
    userHub(c.env, removed.addresseeId).friendRequestRemoved(id),
  );
  return c.body(null, 204);
}
