// The friends routes (`/api/friends…`), the direct room of two friends, and inviting a
// friend into a room. Failures are `ApiError`s with the server's message (see api.ts).
import type { Friend, Person } from "../../../worker/protocol/hub-protocol.ts";
import { type Room, request } from "./api.ts";

const enc = encodeURIComponent;

export const friendsApi = {
  /** A request by username; if they had asked you already, you are friends at once. */
  async requestFriend(
    username: string,
  ): Promise<{ request: { id: string; to: Person } } | { friend: Friend }> {
    return request("POST", "/api/friends/requests", { username });
  },
  async accept(requestId: string): Promise<Friend> {
    return (await request<{ friend: Friend }>("POST", `/api/friends/requests/${enc(requestId)}/accept`))
      .friend;
  },
  async decline(requestId: string): Promise<void> {
    await request<void>("POST", `/api/friends/requests/${enc(requestId)}/decline`);
  },
  async cancel(requestId: string): Promise<void> {
    await request<void>("DELETE", `/api/friends/requests/${enc(requestId)}`);
  },
  async remove(userId: string): Promise<void> {
    await request<void>("DELETE", `/api/friends/${enc(userId)}`);
  },
  /** The two friends' direct room: created the first time, the same one after. */
  async directRoom(userId: string): Promise<Room> {
    return (await request<{ room: Room }>("POST", `/api/friends/${enc(userId)}/dm`)).room;
  },
  async inviteToRoom(roomId: string, userId: string): Promise<void> {
    await request<unknown>("POST", `/api/rooms/${enc(roomId)}/invitations`, { userId });
  },
  async onlineCount(): Promise<number> {
    return (await request<{ count: number }>("GET", "/api/online")).count;
  },
};
