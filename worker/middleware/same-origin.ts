// Cookie auth must not be usable from other sites. Every state-changing request needs
// the app's own Origin and a JSON body: a cross-site form cannot send either without a
// CORS preflight, which this app never grants.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-types.ts";
import { ApiError } from "../http-error.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function appOrigin(c: Context<AppEnv>): string {
  return c.env.APP_ORIGIN ?? new URL(c.req.url).origin;
}

export function isOwnOrigin(c: Context<AppEnv>): boolean {
  return c.req.header("Origin") === appOrigin(c);
}

export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    if (!isOwnOrigin(c)) {
      throw new ApiError(403, "forbidden_origin", "Requests that change state must come from this app.");
    }
    const type = c.req.header("Content-Type") ?? "";
    if (!/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        "Send a JSON body with Content-Type: application/json.",
      );
    }
  }
  await next();
});
