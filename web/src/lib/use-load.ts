// One request whose answer a component shows: loading (null), the data, or an error to
// retry. Used by the settings lists; the room list adds refreshing (use-room-list.ts).
import { useCallback, useEffect, useState } from "preact/hooks";
import { describeError } from "./api.ts";

export interface Loaded<T> {
  /** null while loading (and after a failure). */
  data: T | null;
  error: string | null;
  retry: () => void;
  /** Replaces the data after a change made on this page. */
  setData: (update: (data: T | null) => T | null) => void;
}

export function useLoad<T>(
  load: () => Promise<T>,
  key: string,
  explain: (error: unknown) => string = describeError,
): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  // `key` names what `load` fetches (a new closure each render); `attempt` retries it.
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (loaded) => live && setData(() => loaded),
      (failure: unknown) => live && setError(explain(failure)),
    );
    return () => {
      live = false;
    };
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { data, error, retry, setData };
}
