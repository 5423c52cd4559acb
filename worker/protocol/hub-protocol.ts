// The UserHub WebSocket protocol (`/api/me/ws`): a user's friends, their presence, friend
// requests and room invitations, live. Like room-protocol.ts it is shared by the Worker
// and the web app, so it imports nothing platform-specific.
import * as v from "valibot";
import { type ParsedJsonFrame, parseJsonFrame } from "./frame-parser.ts";
import type { RoomVisibility } from "./room-protocol.ts";

/** Hub frames are tiny; anything bigger is not a client of ours. */
export const HUB_MAX_FRAME_BYTES = 1024;

/**
 * Another account, as friend requests show it. `name` and `guest` make it also a room
 * `user` ({id, name, guest}); friends are always accounts, so `guest` is false.
 */
export interface Person {
  id: string;
  username: string;
  name: string;
  guest: false;
}

export interface Friend {
  id: string;
  username: string;
  online: boolean;
  /** ISO 8601; when their last app socket closed. Null while online or never seen. */
  lastSeenAt: string | null;
  /** ISO 8601; their last successful log-in (or sign-up). */
  lastLoginAt: string | null;
}

export interface FriendList {
  friends: Friend[];
  /** Requests waiting for this user's answer. */
  incoming: { id: string; from: Person }[];
  /** Requests this user sent that are still waiting. */
  outgoing: { id: string; to: Person }[];
}

/** A friend asked this user into a room; redeeming `token` (POST /api/invites/:token) joins. */
export interface RoomInvitation {
  token: string;
  room: { id: string; name: string; visibility: RoomVisibility };
  from: Person;
  /** ISO 8601. */
  expiresAt: string;
}

/**
 * A room this user belongs to, as it is now: pushed by the room when a message arrives, when
 * they read it (in any tab) and when who is there changes. The room list applies it as is.
 */
export interface RoomActivity {
  roomId: string;
  /** Messages after their read mark (or since they joined, in a room they never opened). */
  unread: number;
  latestSeq: number;
  /** ISO 8601; when the latest message was sent, null for a room without messages. */
  latestAt: string | null;
  /** People in the room now (guests too), as its members panel shows them. */
  online: number;
}

export type HubServerFrame =
  | ({ type: "ready"; onlineTotal: number; roomInvites: RoomInvitation[] } & FriendList)
  | { type: "friend_presence"; userId: string; online: boolean; lastSeenAt: string | null }
  | { type: "friend_request"; id: string; from: Person }
  /** To the sender's own sockets (other tabs), so every tab lists the outgoing request. */
  | { type: "friend_request_sent"; id: string; to: Person }
  /** A pending request was declined or cancelled: both sides drop it. */
  | { type: "friend_request_removed"; id: string }
  | { type: "friend_accepted"; user: Friend }
  | { type: "friend_removed"; userId: string }
  | ({ type: "room_invite" } & RoomInvitation)
  /** Accepted or dismissed (maybe in another tab): drop it from view. */
  | { type: "room_invite_removed"; token: string }
  /** `rooms`: people in the rooms every list shows (#general, the lobby), by room id. */
  | { type: "online_total"; count: number; rooms: Record<string, number> }
  | ({ type: "room_activity" } & RoomActivity)
  | { type: "error"; code: "invalid_frame" | "database_unavailable" | "rate_limited"; message: string };

const hubFrameSchema = v.variant("type", [
  v.object({ type: v.literal("hello") }),
  v.object({ type: v.literal("dismiss_invite"), token: v.pipe(v.string(), v.maxLength(64)) }),
]);

const HUB_FRAME_TYPES: ReadonlySet<string> = new Set(["hello", "dismiss_invite"]);

export type HubClientFrame = v.InferOutput<typeof hubFrameSchema>;

export function parseHubFrame(raw: string | ArrayBuffer): ParsedJsonFrame<HubClientFrame> {
  return parseJsonFrame(hubFrameSchema, HUB_FRAME_TYPES, raw, HUB_MAX_FRAME_BYTES);
}

/** Online first, then the most recently seen, then by name: who can answer right now. */
export function compareFriends(a: Friend, b: Friend): number {
  return (
    Number(b.online) - Number(a.online) ||
    (b.lastSeenAt ?? "").localeCompare(a.lastSeenAt ?? "") ||
    a.username.localeCompare(b.username)
  );
}

export function person(p: { id: string; username: string }): Person {
  return { id: p.id, username: p.username, name: p.username, guest: false };
}
