import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../app-types.ts";

export const health = new Hono<AppEnv>().get("/", async (c) => {
  let database: "up" | "down" = "up";
  try {
    await c.get("db")().execute(sql`select 1`);
  } catch {
    database = "down";
  }
  return c.json({ ok: true, database }, database === "up" ? 200 : 503);
});
