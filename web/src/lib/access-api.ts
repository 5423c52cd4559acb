// API calls for the settings page, invites and owners' powers. Kept apart from api.ts so
// the two can grow independently; errors are the same `ApiError` with the server's message.
import { ApiError } from "./api.ts";

export interface OwnedRoom {
  id: string;
  name: string;
  visibility: "private";
  createdAt: string;
}

export interface InviteLink {
  token: string;
  url: string;
  expiresAt: string;
}

/** A live invite as the room's owner sees it in Settings. */
export interface RoomInvite extends InviteLink {
  createdBy: string;
}

export interface RoomMember {
  id: string;
  username: string;
  role: "owner" | "member";
  joinedAt: string;
}

export interface InvitePreview {
  room: { id: string; name: string; visibility: "public" | "private" | "lobby" };
  expiresAt: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

async function call<T>(
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
  if (!response.ok) {
    const error = isRecord(payload) && isRecord(payload.error) ? payload.error : null;
    throw new ApiError(
      response.status,
      typeof error?.code === "string" ? error.code : "http_error",
      typeof error?.message === "string" ? error.message : `The server answered ${response.status}.`,
      typeof error?.field === "string" ? error.field : undefined,
    );
  }
  return payload as T;
}

const roomPath = (id: string) => `/api/rooms/${encodeURIComponent(id)}`;
const invitePath = (token: string) => `/api/invites/${encodeURIComponent(token)}`;

export const accessApi = {
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await call<void>("POST", "/api/me/password", { currentPassword, newPassword });
  },
  async myRooms(): Promise<OwnedRoom[]> {
    return (await call<{ rooms: OwnedRoom[] }>("GET", "/api/me/rooms")).rooms;
  },
  async renameRoom(id: string, name: string): Promise<{ id: string; name: string }> {
    return (await call<{ room: { id: string; name: string } }>("PATCH", roomPath(id), { name })).room;
  },
  async setRoomPassword(id: string, password: string): Promise<void> {
    await call<unknown>("PATCH", roomPath(id), { password });
  },
  async deleteRoom(id: string): Promise<void> {
    await call<void>("DELETE", roomPath(id), {});
  },
  async createInvite(roomId: string): Promise<InviteLink> {
    return call<InviteLink>("POST", `${roomPath(roomId)}/invites`, {});
  },
  async roomMembers(roomId: string): Promise<RoomMember[]> {
    return (await call<{ members: RoomMember[] }>("GET", `${roomPath(roomId)}/members`)).members;
  },
  async removeMember(roomId: string, userId: string): Promise<void> {
    await call<void>("DELETE", `${roomPath(roomId)}/members/${encodeURIComponent(userId)}`, {});
  },
  async roomInvites(roomId: string): Promise<RoomInvite[]> {
    return (await call<{ invites: RoomInvite[] }>("GET", `${roomPath(roomId)}/invites`)).invites;
  },
  async revokeInvite(roomId: string, token: string): Promise<void> {
    await call<void>("DELETE", `${roomPath(roomId)}/invites/${encodeURIComponent(token)}`, {});
  },
  async previewInvite(token: string): Promise<InvitePreview> {
    return call<InvitePreview>("GET", invitePath(token));
  },
  async redeemInvite(token: string): Promise<{ id: string; name: string }> {
    return (await call<{ room: { id: string; name: string } }>("POST", invitePath(token), {})).room;
  },
};
