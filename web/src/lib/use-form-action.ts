import { useState } from "preact/hooks";
import { describeError } from "./api.ts";

/**
 * The submit cycle every form shares: ignore double submits, clear the last error, run
 * the action, and on failure show why (in the user's words) and allow another try. On
 * success the form stays busy (the action usually navigates away or replaces it) unless
 * it is `reusable`, like a form that adds one item after another.
 */
export function useFormAction(
  action: () => Promise<void>,
  options: { describe?: (error: unknown) => string; reusable?: boolean } = {},
) {
  const { describe = describeError, reusable = false } = options;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      if (reusable) setBusy(false);
    } catch (caught) {
      setError(describe(caught));
      setBusy(false);
    }
  };
  return { busy, error, onSubmit };
}
