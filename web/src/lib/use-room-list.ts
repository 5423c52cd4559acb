// The rooms this user can open, kept fresh while shown: the home page and the sidebar.
import { useCallback, useEffect, useState } from "preact/hooks";
import { api, describeError, type Room } from "./api.ts";

/** Unread and online counts move while the list is open. */
const REFRESH_MS = 30_000;

export interface RoomList {
  /** null until the first answer. */
  rooms: Room[] | null;
  error: string | null;
  retry: () => void;
}

export function useRoomList(): RoomList {
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

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
