// The rooms this user can open, kept fresh while shown: the home page and the sidebar.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, type Room } from "./api.ts";

/** Unread and online counts move while the list is open. */
const REFRESH_MS = 30_000;

export interface RoomList {
  /** null until the first answer. */
  rooms: Room[] | null;
  error: string | null;
  retry: () => void;
}

/**
 * `currentRoomId` is the room on screen: if the list lacks it (a direct room opened just
 * now, a room joined from an invitation), the list is fetched again once.
 */
export function useRoomList(currentRoomId: string | null = null): RoomList {
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const refreshedFor = useRef<string | null>(null);

  useEffect(() => {
    if (!rooms || !currentRoomId || refreshedFor.current === currentRoomId) return;
    if (rooms.some((room) => room.id === currentRoomId)) return;
    refreshedFor.current = currentRoomId;
    setAttempt((n) => n + 1);
  }, [rooms, currentRoomId]);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.rooms().then(
        (list) => {
          if (!live) return;
          setRooms(list);
          setError(null);
        },
        (failure: unknown) => live && setError(describeError(failure)),
      );
    void load();
    // Refresh when the tab comes back and every half minute while it is visible.
    const onVisible = () => {
      if (document.visibilityState === "visible") void load();
    };
    const timer = setInterval(onVisible, REFRESH_MS);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [attempt]);

  const retry = useCallback(() => {
    setError(null);
    setAttempt((n) => n + 1);
  }, []);
  return { rooms, error, retry };
}
