import { Hono } from "hono";
import type { AppEnv } from "../app-types.ts";
import { findUsableInvite } from "../db/invites.ts";
import { addMember } from "../db/rooms.ts";
import { ApiError } from "../http-error.ts";
import { requireUser } from "../middleware/session.ts";
import { userHub } from "../user/user-hub.ts";
import { inviteToken, pathIds } from "./path-ids.ts";
import { roomStub } from "./rooms.ts";

const byToken = pathIds({ token: inviteToken });

const GONE = "This invite link has expired or was revoked. Ask for a new one.";

export const inviteRoutes = new Hono<AppEnv>()
  // What the link leads to, so the page can say "Join <room>?" before anyone signs in.
  .get("/:token", byToken, async (c) => {
    const invite = await findUsableInvite(c.get("db")(), c.req.valid("param").token, new Date());
    if (!invite) throw new ApiError(404, "invite_not_found", GONE);
    const { id, name, visibility } = invite.room;
    return c.json({ room: { id, name, visibility }, expiresAt: invite.expiresAt.toISOString() });
  })

  // Redeeming joins the room without its password.
  .post("/:token", byToken, async (c) => {
    const user = requireUser(c);
    const { token } = c.req.valid("param");
    const db = c.get("db")();
    const invite = await findUsableInvite(db, token, new Date());
    if (!invite) throw new ApiError(404, "invite_not_found", GONE);
    await addMember(db, invite.roomId, user.id);
    await roomStub(c.env, invite.roomId).memberAdded(user.id);
    // If it came as a friend's invitation, every tab of this user can drop it now.
    await userHub(c.env, user.id)
      .roomInviteHandled(token)
      .catch((error: unknown) => console.warn("invite redeemed; the hub missed it", error));
    const { id, name, visibility, ownerId } = invite.room;
    return c.json({ room: { id, name, visibility, member: true, owner: ownerId === user.id } });
  });
