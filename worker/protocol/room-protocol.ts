// The room WebSocket protocol: every frame a client may send or receive, its limits and
// the close codes. This file is the contract shared by the Worker and the web app, so it
// imports nothing platform-specific.
import * as v from "valibot";
import { type ParsedJsonFrame, parseJsonFrame } from "./frame-parser.ts";

export const PROTOCOL_VERSION = 1;

export const LIMITS = {
  /** Frames larger than this close the socket with 1009 before any parsing. */
  maxFrameBytes: 16 * 1024,
  /** Message body length after trimming, in UTF-16 code units (what `maxlength` counts). */
  maxBodyLength: 4000,
  /** History page sizes. */
  defaultPageSize: 50,
  maxPageSize: 200,
  /** A room's topic, after trimming (UTF-16 code units); Postgres checks it too. */
  maxTopicLength: 250,
} as const;

export const CloseCode = {
  Normal: 1000,
  FrameTooLarge: 1009,
  InternalError: 1011,
  SessionEnded: 4001,
  AccessRemoved: 4003,
  RateLimited: 4008,
  /** The account opened more sockets than a person would (worker/sockets/socket-caps.ts): its oldest closes. */
  TooManyConnections: 4009,
} as const;

/**
 * Why sockets closed with SessionEnded (4001), as the close reason: the app says it to the
 * person whose tab was signed out ("…because your password was changed").
 */
export type SessionEndReason = "password_changed" | "signed_out";

// ---- shapes the server sends ------------------------------------------------------------

/** The rooms every room list starts with, in this order (#general, the lobby). */
export const PINNED_ROOM_IDS: readonly string[] = ["general", "lobby"];

/** `direct` rooms are the 1:1 conversations of two friends. */
export type RoomVisibility = "public" | "private" | "lobby" | "direct";

export interface UserRef {
  id: string;
  name: string;
  guest: boolean;
}

export interface ChatMessage {
  id: string;
  seq: number;
  roomId: string;
  author: UserRef;
  body: string;
  /** ISO 8601. */
  createdAt: string;
  clientId: string;
}

/** A member's receipt high-water marks: every message up to `delivered`/`read` arrived/was seen. */
export interface Receipt {
  userId: string;
  name: string;
  delivered: number;
  read: number;
}

export type ErrorCode = "invalid_frame" | "invalid_body" | "forbidden" | "rate_limited";

export type ServerFrame =
  | {
      type: "ready";
      /** `canWrite` is false for read-only sockets (visitors; guests outside the lobby). */
      room: { id: string; name: string; visibility: RoomVisibility; canWrite: boolean };
      seq: number;
      /**
       * Everyone listed as here, the connecting user included. Absent only when the hello
       * named the current `presenceVersion`: the list the client holds is still right.
       */
      online?: UserRef[];
      typing: UserRef[];
      receipts: Receipt[];
      /** Only to sockets that said `hello {presenceChanges: true}`: the version of `online`. */
      presenceVersion?: string;
    }
  | ({ type: "message" } & ChatMessage)
  | { type: "ack"; clientId: string; seq: number; id: string; createdAt: string }
  | { type: "typing"; user: UserRef; active: boolean }
  | ({ type: "receipt" } & Receipt)
  /** `version` only to sockets that said `hello {presenceChanges: true}`. */
  | { type: "presence"; online: UserRef[]; version?: string }
  | { type: "resync"; seq: number }
  /** The owner changed the room's topic (null: cleared); sent to every socket in the room. */
  | { type: "room_updated"; topic: string | null }
  | { type: "error"; code: ErrorCode; message: string; clientId?: string }
  /**
   * Only to sockets that said `hello {presenceChanges: true}`, instead of `presence`: who
   * came and who went since the last list or change this socket was sent, and the version
   * the list has now.
   */
  | { type: "presence_change"; joined: UserRef[]; left: string[]; version: string }
  /** Only to sockets that said `hello {batch: true}`: these frames, in order. */
  | { type: "batch"; frames: ServerFrame[] };

/** How long a `typing {active: true}` lasts without a refresh (clients refresh every ~3 s). */
export const TYPING_TTL_MS = 6_000;
/** Clients send `typing {active: true}` at most this often while the user types. */
export const TYPING_REFRESH_MS = 3_000;
/** A user's typing starts go out at most this often (more are dropped): a stop and restart is not news. */
export const TYPING_REPEAT_MS = 2_000;

// ---- frames a client sends --------------------------------------------------------------

const seqSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Client-chosen idempotency key: a UUID or similar, unique per sender. */
export const clientIdSchema = v.pipe(
  v.string(),
  v.regex(CLIENT_ID_PATTERN, "clientId must be 1–64 characters of A-Z a-z 0-9 _ -"),
);

const clientFrameSchema = v.variant("type", [
  // Optional, for clients that read the added frames: `batch: true` for `batch {frames}`
  // (several frames coalesced into one), `presenceChanges: true` for `presence_change` and
  // presence versions; with it, `presenceVersion` (the version of the list the client holds)
  // spares a resuming client a list it already has.
  v.object({
    type: v.literal("hello"),
    lastSeq: v.optional(seqSchema),
    batch: v.optional(v.boolean()),
    presenceChanges: v.optional(v.boolean()),
    presenceVersion: v.optional(v.pipe(v.string(), v.maxLength(64))),
  }),
  v.object({ type: v.literal("send"), clientId: clientIdSchema, body: v.string() }),
  v.object({ type: v.literal("typing"), active: v.boolean() }),
  v.object({ type: v.literal("delivered"), seq: seqSchema }),
  v.object({ type: v.literal("read"), seq: seqSchema }),
]);

const CLIENT_FRAME_TYPES: ReadonlySet<string> = new Set(["hello", "send", "typing", "delivered", "read"]);

export type ClientFrame = v.InferOutput<typeof clientFrameSchema>;

export type ParsedFrame = ParsedJsonFrame<ClientFrame>;

/** Parses one frame from a room socket (see `parseJsonFrame`). */
export function parseClientFrame(raw: string | ArrayBuffer): ParsedFrame {
  return parseJsonFrame(clientFrameSchema, CLIENT_FRAME_TYPES, raw, LIMITS.maxFrameBytes, wellFormedSend);
}

/** A well-formed `send`, checked by hand (one per message); anything else goes to the schema. */
function wellFormedSend(json: unknown): ClientFrame | null {
  if (typeof json !== "object" || json === null) return null;
  const { type, clientId, body } = json as Record<string, unknown>;
  if (type !== "send" || typeof clientId !== "string" || typeof body !== "string") return null;
  return CLIENT_ID_PATTERN.test(clientId) ? { type, clientId, body } : null;
}

/**
 * Text that cannot be stored faithfully: NUL (Postgres text refuses it) and lone UTF-16
 * surrogates (they do not survive UTF-8 storage, so history would differ from what was
 * shown live).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding NUL is this pattern's job.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/**
 * Trims a message body and checks it; `null` means it is empty, too long, or holds
 * characters that cannot be stored.
 */
export function normaliseBody(body: string): string | null {
  const trimmed = body.trim();
  if (trimmed.length === 0 || trimmed.length > LIMITS.maxBodyLength || !isStorableText(trimmed)) return null;
  return trimmed;
}
