import { useRef, useState } from "preact/hooks";
import { accessApi } from "../lib/access-api.ts";
import { describeError } from "../lib/api.ts";
import { FormAlert } from "./form-alert.tsx";

/**
 * "Invite link" for a private room the user belongs to: makes a fresh invite (valid 7
 * days) and shows its URL to copy. Renders nothing for other rooms.
 */
export function InviteLink(props: { room: { id: string; visibility: string; member?: boolean } }) {
  const { room } = props;
  const [url, setUrl] = useState<string | null>(null);
  const [expiresAt, setExpiresAt] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const input = useRef<HTMLInputElement>(null);

  if (room.visibility !== "private" || room.member === false) return null;

  const onCreate = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    setStatus("");
    try {
      const invite = await accessApi.createInvite(room.id);
      setUrl(invite.url);
      setExpiresAt(invite.expiresAt);
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const onCopy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setStatus("Invite link copied.");
    } catch {
      // No clipboard (permissions, insecure context): select the text for a manual copy.
      input.current?.focus();
      input.current?.select();
      setStatus("Press Ctrl+C (or ⌘C) to copy the selected link.");
    }
  };

  return (
    <div class="invite-link">
      <button type="button" class="button-secondary" onClick={onCreate} disabled={busy}>
        Invite link
      </button>
      {url && (
        <div class="invite-link-result">
          <label for={`invite-url-${room.id}`} class="visually-hidden">
            Invite link
          </label>
          <input
            id={`invite-url-${room.id}`}
            ref={input}
            readOnly
            value={url}
            onFocus={(event) => event.currentTarget.select()}
          />
          <button type="button" class="button-secondary" onClick={onCopy}>
            Copy invite link
          </button>
          {expiresAt && (
            <span class="hint">
              Valid until <time dateTime={expiresAt}>{new Date(expiresAt).toLocaleDateString()}</time>
            </span>
          )}
        </div>
      )}
      <FormAlert message={error} />
      <span class="hint" role="status">
        {status}
      </span>
    </div>
  );
}
