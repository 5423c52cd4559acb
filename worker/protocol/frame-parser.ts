// The one door for frames from a WebSocket client, shared by the room and hub protocols:
// caps the size before `JSON.parse`, then validates the shape against the protocol's
// schema. Returns a typed frame or the error to answer with; never throws.
import * as v from "valibot";

export type ParsedJsonFrame<T> =
  | { kind: "frame"; frame: T }
  | { kind: "too_large" }
  | { kind: "error"; code: "invalid_frame"; message: string };

const encoder = new TextEncoder();

function byteLength(text: string, limit: number): number {
  // Every UTF-16 code unit encodes to 1–3 UTF-8 bytes, so most frames are decided
  // without encoding them.
  if (text.length * 3 <= limit) return text.length;
  if (text.length > limit) return text.length;
  return encoder.encode(text).byteLength;
}

/**
 * `fastPath`, when given, checks the protocol's most frequent frame by hand (a busy room
 * parses one per message) and returns it, or null to leave the frame to the schema. It
 * must accept nothing the schema refuses and return what the schema would.
 */
export function parseJsonFrame<T>(
  schema: v.GenericSchema<unknown, T>,
  knownTypes: ReadonlySet<string>,
  raw: string | ArrayBuffer,
  maxBytes: number,
  fastPath?: (json: unknown) => T | null,
): ParsedJsonFrame<T> {
  const size = typeof raw === "string" ? byteLength(raw, maxBytes) : raw.byteLength;
  if (size > maxBytes) return { kind: "too_large" };
  if (typeof raw !== "string") {
    return { kind: "error", code: "invalid_frame", message: "Frames must be JSON text." };
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: "error", code: "invalid_frame", message: "Frame is not valid JSON." };
  }
  const fast = fastPath?.(json);
  if (fast) return { kind: "frame", frame: fast };
  const result = v.safeParse(schema, json);
  if (!result.success) {
    const type = typeof json === "object" && json !== null && "type" in json ? String(json.type) : "";
    const issue = result.issues[0];
    const where = issue ? v.getDotPath(issue) : null;
    const message = knownTypes.has(type)
      ? `Invalid "${type}" frame${where ? ` at ${where}` : ""}: ${issue?.message ?? "bad shape"}.`
      : `Unknown frame type ${JSON.stringify(type)}.`;
    return { kind: "error", code: "invalid_frame", message };
  }
  return { kind: "frame", frame: result.output };
}
