// Request bodies and queries are validated by valibot schemas at the boundary; the first
// problem is reported with the field it concerns, e.g.
// { error: { code: "invalid_input", field: "username", message: "…" } }.
import { sValidator } from "@hono/standard-validator";
import type { ValidationTargets } from "hono";
import type * as v from "valibot";
import { ApiError } from "../http-error.ts";

export function validate<Target extends keyof ValidationTargets, Schema extends v.GenericSchema>(
  target: Target,
  schema: Schema,
  /** Answers a failure some other way than 400 (path ids: worker/routes/path-ids.ts). */
  refuse?: (message: string) => ApiError,
) {
  return sValidator(target, schema, (result) => {
    if (result.success) return;
    const issue = result.error[0];
    const path = issue?.path?.map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") ?? "";
    const field = path || undefined;
    const message = issue?.message ?? "Invalid input.";
    if (refuse) throw refuse(message);
    throw new ApiError(
      400,
      "invalid_input",
      field ? `${field}: ${message}` : message,
      field ? { field } : {},
    );
  });
}
