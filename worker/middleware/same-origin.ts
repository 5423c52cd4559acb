// Cookie auth must not be usable from other sites. Every state-changing request needs
// the app's own Origin, and a body, when it has one, must be JSON: a cross-site form can
// send neither without a CORS preflight, which this app never grants. A write without a
// body (curl -X DELETE, a script) needs no Content-Type: the Origin check alone is what
// stops cross-site requests, and there is no body for a form to smuggle.
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

/**
 * Whether the request carries a body: a Content-Length above 0, or a body of unknown
 * length (chunked). An explicit `Content-Length: 0` is no body.
 */
function carriesBody(request: Request): boolean {
  const length = request.headers.get("Content-Length");
  if (length !== null) return !/^\s*0+\s*$/.test(length);
  return request.headers.has("Transfer-Encoding") || request.body !== null;
}

export const sameOriginWrites = createMiddleware<AppEnv>(async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    if (!isOwnOrigin(c)) {
      throw new ApiError(403, "forbidden_origin", "Requests that change state must come from this app.");
    }
    const type = c.req.header("Content-Type") ?? "";
    if (carriesBody(c.req.raw) && !/^application\/json\s*(;|$)/i.test(type)) {
      throw new ApiError(
        415,
        "unsupported_media_type",
        "Send a JSON body with Content-Type: application/json.",
      );
    }
  }
  await next();
});
