// A private room's or a DM's member list, for the header's count and the members panel:
// both ask, one request is made (answers are shared for a few seconds). Refreshed when
// who is in the room changes, so someone who just joined appears.
import { useEffect, useState } from "preact/hooks";
import { request } from "./api.ts";
import type { ListedMember } from "./member-rows.ts";

const SHARED_MS = 3_000;
const recent = new Map<string, { at: number; answer: Promise<ListedMember[]> }>();

function loadMembers(roomId: string): Promise<ListedMember[]> {
  const cached = recent.get(roomId);
  if (cached && Date.now() - cached.at < SHARED_MS) return cached.answer;
  const answer = request<{ members: ListedMember[] }>(
    "GET",
    `/api/rooms/${encodeURIComponent(roomId)}/members`,
  ).then((body) => body.members);
  recent.set(roomId, { at: Date.now(), answer });
  answer.catch(() => recent.delete(roomId));
  return answer;
}

/** null while loading, for rooms without a list, or when it could not be loaded. */
export function useRoomMembers(roomId: string, hasList: boolean, presenceKey: string): ListedMember[] | null {
  const [members, setMembers] = useState<ListedMember[] | null>(null);
  useEffect(() => {
    if (!hasList) return;
    let live = true;
    loadMembers(roomId).then(
      (found) => live && setMembers(found),
      // The panel falls back to who is here; the next presence change tries again.
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [roomId, hasList, presenceKey]);
  return hasList ? members : null;
}
