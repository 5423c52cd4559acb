import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types.ts";
import { type DatabaseHandle, openDatabase } from "../db/client.ts";

/** Opens a pool only for requests that query, and ends it once the response is ready. */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  let handle: DatabaseHandle | undefined;
  c.set("db", () => {
    handle ??= openDatabase(c.env);
    return handle.db;
  });
  try {
    await next();
  } finally {
    if (handle) c.executionCtx.waitUntil(handle.close());
  }
});
