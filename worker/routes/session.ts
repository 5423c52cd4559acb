import { Hono } from "hono";
import type { AppEnv } from "../app-types.ts";
import { describeSessionUser } from "./me.ts";

/**
 * `GET /api/session`: who this browser is signed in as, `{user: null}` for a visitor. The
 * web app asks it on every page load; for a visitor that is no error, so it is not a 401
 * (which browsers log in the console of every visitor's page). `GET /api/me` keeps its 401
 * for API clients and tests that ask "is this session still valid".
 */
export const session = new Hono<AppEnv>().get("/", async (c) => {
  const current = c.get("user");
  return c.json({ user: current ? await describeSessionUser(c, current) : null });
});
