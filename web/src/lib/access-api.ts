// API calls for the settings page, invites and owners' powers, through api.ts's one
// request function (same JSON rules, same `ApiError` with the server's message).
import { request } from "./api.ts";

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

/** A signed-in browser of this account, as Settings lists it. */
export interface SignedInSession {
  id: string;
  browser: string;
  createdAt: string;
  lastActiveAt: string;
  /** This browser. */
  current: boolean;
}

export interface InvitePreview {
  room: { id: string; name: string; visibility: "public" | "private" | "lobby" };
  expiresAt: string;
}

const roomPath = (id: string) => `/api/rooms/${encodeURIComponent(id)}`;
const invitePath = (token: string) => `/api/invites/${encodeURIComponent(token)}`;

export const accessApi = {
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await request<void>("POST", "/api/me/password", { currentPassword, newPassword });
  },
  async sessions(): Promise<SignedInSession[]> {
    return (await request<{ sessions: SignedInSession[] }>("GET", "/api/me/sessions")).sessions;
  },
  async endSession(id: string): Promise<void> {
    await request<void>("DELETE", `/api/me/sessions/${encodeURIComponent(id)}`, {});
  },
  /** "Sign out everywhere else": this browser stays signed in with a fresh cookie. */
  async endOtherSessions(): Promise<void> {
    await request<void>("DELETE", "/api/me/sessions", {});
  },
  async myRooms(): Promise<OwnedRoom[]> {
    return (await request<{ rooms: OwnedRoom[] }>("GET", "/api/me/rooms")).rooms;
  },
  async renameRoom(id: string, name: string): Promise<{ id: string; name: string }> {
    return (await request<{ room: { id: string; name: string } }>("PATCH", roomPath(id), { name })).room;
  },
  /** Sets (or, with "", clears) the room's topic; the topic as saved. */
  async setTopic(id: string, topic: string): Promise<string | null> {
    const { room } = await request<{ room: { topic: string | null } }>("PATCH", roomPath(id), { topic });
    return room.topic;
  },
  async setRoomPassword(id: string, password: string): Promise<void> {
    await request<unknown>("PATCH", roomPath(id), { password });
  },
  async deleteRoom(id: string): Promise<void> {
    await request<void>("DELETE", roomPath(id), {});
  },
  async createInvite(roomId: string): Promise<InviteLink> {
    return request<InviteLink>("POST", `${roomPath(roomId)}/invites`, {});
  },
  async roomMembers(roomId: string): Promise<RoomMember[]> {
    return (await request<{ members: RoomMember[] }>("GET", `${roomPath(roomId)}/members`)).members;
  },
  async removeMember(roomId: string, userId: string): Promise<void> {
    await request<void>("DELETE", `${roomPath(roomId)}/members/${encodeURIComponent(userId)}`, {});
  },
  async roomInvites(roomId: string): Promise<RoomInvite[]> {
    return (await request<{ invites: RoomInvite[] }>("GET", `${roomPath(roomId)}/invites`)).invites;
  },
  async revokeInvite(roomId: string, token: string): Promise<void> {
    await request<void>("DELETE", `${roomPath(roomId)}/invites/${encodeURIComponent(token)}`, {});
  },
  async previewInvite(token: string): Promise<InvitePreview> {
    return request<InvitePreview>("GET", invitePath(token));
  },
  async redeemInvite(token: string): Promise<{ id: string; name: string }> {
    return (await request<{ room: { id: string; name: string } }>("POST", invitePath(token), {})).room;
  },
};
