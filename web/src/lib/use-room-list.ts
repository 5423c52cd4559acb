// The rooms this user can open, live: a view of the app's one room list (room-list-store.ts),
// which the hub keeps current. Used by the home page and the sidebar.
import { useCallback, useEffect, useState } from "preact/hooks";
import type { Room } from "./api.ts";
import { roomList } from "./room-list-store.ts";

export interface RoomList {
  /** null until the first answer. */
  rooms: Room[] | null;
  error: string | null;
  retry: () => void;
}

/**
 * `currentRoomId` is the room on screen: if the list lacks it (a direct room opened just
 * now, a room joined from an invitation), the list is loaded again once.
 */
export function useRoomList(currentRoomId: string | null = null): RoomList {
  const [view, setView] = useState(roomList.view);
  useEffect(() => {
    setView(roomList.view);
    return roomList.subscribe(setView);
  }, []);

  const { rooms } = view;
  const [reloadedFor, setReloadedFor] = useState<string | null>(null);
  useEffect(() => {
    if (!rooms || !currentRoomId || reloadedFor === currentRoomId) return;
    if (rooms.some((room) => room.id === currentRoomId)) return;
    setReloadedFor(currentRoomId);
    roomList.load();
  }, [rooms, currentRoomId, reloadedFor]);

  const retry = useCallback(() => roomList.load(), []);
  return { rooms, error: view.error, retry };
}
