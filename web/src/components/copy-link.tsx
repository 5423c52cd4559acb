import { useEffect, useRef, useState } from "preact/hooks";
import { Icon } from "./icons.tsx";

type Outcome = "idle" | "copied" | "selected";

/**
 * "Copy link": puts the room's address on the clipboard. Where the clipboard is not
 * available (or refused), the address appears in a read-only field, selected, to copy by hand.
 */
export function CopyLink(props: { url: string }) {
  const [outcome, setOutcome] = useState<Outcome>("idle");
  const field = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();

  useEffect(() => () => clearTimeout(timer.current), []);

  useEffect(() => {
    if (outcome === "selected") field.current?.select();
  }, [outcome]);

  const onCopy = async () => {
    clearTimeout(timer.current);
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(props.url);
      setOutcome("copied");
      timer.current = setTimeout(() => setOutcome("idle"), 4_000);
    } catch {
      setOutcome("selected");
      field.current?.select();
    }
  };

  return (
    <div class="share">
      {outcome === "selected" && (
        <>
          <label for="room-link" class="visually-hidden">
            Room link
          </label>
          <input
            id="room-link"
            ref={field}
            class="share-input"
            readOnly
            value={props.url}
            onFocus={(event) => event.currentTarget.select()}
          />
        </>
      )}
      <button type="button" class="btn btn-quiet" onClick={() => void onCopy()}>
        <Icon name="copy" />
        Copy link
      </button>
      <span class="share-status" role="status" aria-label="Share">
        {outcome === "copied"
          ? "Link copied"
          : outcome === "selected"
            ? "Press Ctrl+C (⌘C) to copy the link"
            : ""}
      </span>
    </div>
  );
}
