// The members panel's rows, from what the client knows: a private room's or a DM's member
// list (GET /api/rooms/:id/members) joined with the room's live presence; for public rooms
// and the lobby, the presence alone. Online first, then the most recently seen.
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";

export interface ListedMember {
  id: string;
  username: string;
  role: "owner" | "member";
  online: boolean;
  lastSeenAt: string | null;
}

export interface MemberRow {
  id: string;
  name: string;
  guest: boolean;
  owner: boolean;
  /** In the app now (or in this room now, which implies it). */
  online: boolean;
  /** When last seen, for offline rows; null if unknown or never. */
  lastSeenAt: string | null;
  me: boolean;
}

function compareRows(a: MemberRow, b: MemberRow): number {
  if (a.online !== b.online) return a.online ? -1 : 1;
  if (!a.online && a.lastSeenAt !== b.lastSeenAt) {
    if (a.lastSeenAt === null) return 1;
    if (b.lastSeenAt === null) return -1;
    return b.lastSeenAt.localeCompare(a.lastSeenAt);
  }
  return a.name.localeCompare(b.name);
}

/**
 * `members` null: a room without a member list (public, lobby) — who is here now.
 * Otherwise every member; being in the room now counts as online whatever the list said.
 */
export function memberRows(members: ListedMember[] | null, here: UserRef[], meId: string): MemberRow[] {
  const present = new Map(here.map((user) => [user.id, user]));
  const rows: MemberRow[] =
    members === null
      ? [...present.values()].map((user) => ({
          id: user.id,
          name: user.name,
          guest: user.guest,
          owner: false,
          online: true,
          lastSeenAt: null,
          me: user.id === meId,
        }))
      : members.map((member) => {
          const online = member.online || present.has(member.id);
          return {
            id: member.id,
            name: member.username,
            guest: false,
            owner: member.role === "owner",
            online,
            lastSeenAt: online ? null : member.lastSeenAt,
            me: member.id === meId,
          };
        });
  return rows.sort(compareRows);
}
