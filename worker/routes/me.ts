import { Hono } from "hono";
import type { AppEnv } from "../app-types.ts";
import { listOwnedPrivateRooms } from "../db/rooms.ts";
import { findUserById } from "../db/users.ts";
import { ApiError } from "../http-error.ts";
import { requireSession, requireUser } from "../middleware/session.ts";

export const me = new Hono<AppEnv>()
  .get("/", async (c) => {
    const session = requireSession(c);
    if (session.guest) return c.json({ user: { id: session.id, username: session.name, guest: true } });
    // The token is valid, but the account may have been deleted since it was issued.
    const user = await findUserById(c.get("db")(), session.id);
    if (!user) throw new ApiError(401, "unauthenticated", "This account no longer exists.");
    return c.json({ user: { id: user.id, username: user.username, guest: false } });
  })
  // The private rooms this user created: the settings page manages them.
  .get("/rooms", async (c) => {
    const user = requireUser(c);
    const rooms = await listOwnedPrivateRooms(c.get("db")(), user.id);
    return c.json({ rooms: rooms.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) });
  });
