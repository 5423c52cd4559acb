// A small fetch wrapper for the JSON API. Every failure becomes an `ApiError` carrying
// the server's `{error: {code, message, field?}}`, so pages can show the message as is.
import type { ChatMessage, RoomVisibility, UserRef } from "../../../worker/protocol/room-protocol.ts";

export interface Room {
  id: string;
  name: string;
  visibility: RoomVisibility;
  /** For a direct room: the other person (its `name` is theirs too). */
  peer?: { id: string; username: string };
  /** People in the room now (room list only). */
  online?: number;
  /** Messages after this user's read mark (room list only; 0 for visitors). */
  unread?: number;
  /** ISO 8601; the latest message (room list only; null for a room without messages). */
  latestAt?: string | null;
  /**
   * Room info: whether this user may read it (false for a private room not joined).
   * Room list: whether they belong to it (joined, or read it).
   */
  member?: boolean;
  owner?: boolean;
  /** What the room is about, set by its owner (room info only; null when unset or hidden). */
  topic?: string | null;
}

/** One page of `GET /api/rooms`; `nextCursor` asks for the next. */
export interface RoomPage {
  rooms: Room[];
  nextCursor: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function errorFrom(status: number, payload: unknown): ApiError {
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
  const code = typeof error?.code === "string" ? error.code : "http_error";
  const message = typeof error?.message === "string" ? error.message : `The server answered ${status}.`;
  const field = typeof error?.field === "string" ? error.field : undefined;
  return new ApiError(status, code, message, field);
}

/** One JSON request to the API; failures become `ApiError` with the server's message. */
export async function request<T>(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  path: string,
  body?: unknown,
): Promise<T> {
  const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (method !== "GET") {
    // The API refuses state changes without a JSON body (a cross-site form cannot send one).
    init.headers = { Accept: "application/json", "Content-Type": "application/json" };
    init.body = JSON.stringify(body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network_error", "Cannot reach the server. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => null);
  if (!response.ok) throw errorFrom(response.status, payload);
  return payload as T;
}

/** `GET /api/session` calls the name `username`, as `/api/me` does; everything else calls it `name`. */
interface SessionResponse {
  user: { id: string; username: string; guest: boolean } | null;
}

export const api = {
  /** Who this browser is signed in as; null for a visitor (answered 200, so no console error). */
  async me(): Promise<UserRef | null> {
    const { user } = await request<SessionResponse>("GET", "/api/session");
    return user && { id: user.id, name: user.username, guest: user.guest };
  },
  async signup(username: string, password: string): Promise<UserRef> {
    return (await request<{ user: UserRef }>("POST", "/api/auth/signup", { username, password })).user;
  },
  async login(username: string, password: string): Promise<UserRef> {
    return (await request<{ user: UserRef }>("POST", "/api/auth/login", { username, password })).user;
  },
  async logout(): Promise<void> {
    await request<void>("POST", "/api/auth/logout", {});
  },
  async rooms(): Promise<Room[]> {
    return (await request<{ rooms: Room[] }>("GET", "/api/rooms")).rooms;
  },
  /** Public rooms whose names contain `filter`, a page at a time (the first also has the person's own). */
  async roomPage(filter: string, cursor: string | null): Promise<RoomPage> {
    const query = new URLSearchParams();
    if (filter) query.set("q", filter);
    if (cursor) query.set("cursor", cursor);
    const search = query.toString();
    return request<RoomPage>("GET", search ? `/api/rooms?${search}` : "/api/rooms");
  },
  /** Leaves a room (409 `owner_cannot_leave` for a private room's owner). */
  async leaveRoom(id: string): Promise<void> {
    await request<void>("DELETE", `/api/rooms/${encodeURIComponent(id)}/membership`, {});
  },
  async room(id: string): Promise<Room> {
    return (await request<{ room: Room }>("GET", `/api/rooms/${encodeURIComponent(id)}`)).room;
  },
  /** A guest session: reads public rooms, talks in the lobby only. */
  async guest(name: string): Promise<UserRef> {
    return (await request<{ user: UserRef }>("POST", "/api/auth/guest", { name })).user;
  },
  async createRoom(name: string, password?: string): Promise<Room> {
    const body =
      password === undefined ? { name, visibility: "public" } : { name, visibility: "private", password };
    return (await request<{ room: Room }>("POST", "/api/rooms", body)).room;
  },
  /** Joins a room; a private one checks `password` (403 `wrong_password`, 429 `rate_limited`). */
  async joinRoom(id: string, password: string): Promise<Room> {
    return (await request<{ room: Room }>("POST", `/api/rooms/${encodeURIComponent(id)}/join`, { password }))
      .room;
  },
  /** Messages below `before` (the newest when absent), newest first. */
  async messages(roomId: string, before: number | undefined, limit: number): Promise<ChatMessage[]> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) query.set("before", String(before));
    const path = `/api/rooms/${encodeURIComponent(roomId)}/messages?${query}`;
    return (await request<{ messages: ChatMessage[] }>("GET", path)).messages;
  },
};

/** A sentence for the user: "password: must be …" becomes "Password must be …". */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  const prefix = error.field ? `${error.field}: ` : "";
  if (prefix && error.message.startsWith(prefix)) {
    const field = error.field ?? "";
    const rest = error.message.slice(prefix.length);
    return `${field.charAt(0).toUpperCase()}${field.slice(1)} ${rest}${/[.!?]$/.test(rest) ? "" : "."}`;
  }
  return error.message;
}
