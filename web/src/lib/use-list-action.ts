import { useState } from "preact/hooks";
import { describeError } from "./api.ts";

/**
 * A button's action on a list the server holds (sign a session out, remove a member,
 * revoke a link): one at a time, its outcome in words (a status, or the error in the
 * user's words), and then, whatever happened, the list as the server has it now.
 */
export function useListAction(
  refresh: () => Promise<void>,
  explain: (error: unknown) => string = describeError,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const run = async (work: () => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setStatus("");
    try {
      setStatus(await work());
    } catch (caught) {
      setError(explain(caught));
    }
    try {
      await refresh();
    } catch (caught) {
      setError(explain(caught));
    }
    setBusy(false);
  };
  return { busy, error, status, run };
}
