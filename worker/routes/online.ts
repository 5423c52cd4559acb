import { Hono } from "hono";
import type { AppEnv } from "../app-types.ts";
import { onlineDirectory } from "../user/online-directory.ts";

/** How many people are online: for everyone, visitors included (the home page shows it). */
export const online = new Hono<AppEnv>().get("/", async (c) => {
  return c.json({ count: await onlineDirectory(c.env).count() });
});
