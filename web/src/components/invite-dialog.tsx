// "Invite link" for a private room: a modal dialog with a fresh link (valid 7 days), Copy
// and Revoke. The link is made the first time the dialog opens and kept while the room is
// open, so opening it again shows the same link instead of minting another.
import { useEffect, useRef, useState } from "preact/hooks";
import { accessApi, type InviteLink } from "../lib/access-api.ts";
import { describeError } from "../lib/api.ts";
import { FormAlert } from "./form-alert.tsx";
import { Icon } from "./icons.tsx";
import { ModalDialog } from "./modal-dialog.tsx";

type LinkState =
  | { kind: "none" }
  | { kind: "making" }
  | { kind: "live"; invite: InviteLink }
  | { kind: "revoked" };

export function InviteDialog(props: {
  roomId: string;
  roomName: string;
  open: boolean;
  onClose: () => void;
}) {
  const [link, setLink] = useState<LinkState>({ kind: "none" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const field = useRef<HTMLInputElement>(null);

  const make = async () => {
    setLink({ kind: "making" });
    setError(null);
    setStatus("");
    try {
      setLink({ kind: "live", invite: await accessApi.createInvite(props.roomId) });
    } catch (caught) {
      setLink({ kind: "none" });
      setError(describeError(caught));
    }
  };

  // Opening makes the link, unless one is live already.
  useEffect(() => {
    if (props.open && link.kind === "none" && error === null) void make();
    if (!props.open) setStatus("");
  }, [props.open]);

  const onCopy = async () => {
    if (link.kind !== "live") return;
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(link.invite.url);
      setStatus("Invite link copied.");
    } catch {
      // No clipboard (permissions, insecure context): select the text for a manual copy.
      field.current?.focus();
      field.current?.select();
      setStatus("Press Ctrl+C (or ⌘C) to copy the selected link.");
    }
  };

  const onRevoke = async () => {
    if (link.kind !== "live" || busy) return;
    setBusy(true);
    setError(null);
    try {
      await accessApi.revokeInvite(props.roomId, link.invite.token);
      setLink({ kind: "revoked" });
      setStatus("Link revoked: it no longer lets anyone in.");
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog
      id="invite-dialog"
      class="invite-dialog"
      open={props.open}
      onClose={props.onClose}
      title={`Invite people to ${props.roomName}`}
    >
      <p class="modal-lead">
        Anyone with this link can join this private room without its password, for 7 days or until you revoke
        it.
      </p>
      {link.kind === "making" && <p class="muted">Making a link…</p>}
      {link.kind === "live" && (
        <>
          <label for="invite-dialog-url">Invite link</label>
          <div class="invite-dialog-row">
            <input
              id="invite-dialog-url"
              ref={field}
              readOnly
              value={link.invite.url}
              onFocus={(event) => event.currentTarget.select()}
            />
            <button
              type="button"
              class="btn btn-primary"
              aria-label="Copy invite link"
              onClick={() => void onCopy()}
            >
              <Icon name="copy" />
              Copy
            </button>
          </div>
          <p class="hint">
            Valid until{" "}
            <time dateTime={link.invite.expiresAt}>{new Date(link.invite.expiresAt).toLocaleString()}</time>
          </p>
        </>
      )}
      <FormAlert message={error} />
      <p class="modal-status" role="status">
        {status}
      </p>
      <div class="modal-actions">
        {link.kind === "live" && (
          <button
            type="button"
            class="btn btn-danger"
            aria-label="Revoke invite link"
            disabled={busy}
            onClick={() => void onRevoke()}
          >
            Revoke
          </button>
        )}
        {(link.kind === "revoked" || (link.kind === "none" && error !== null)) && (
          <button type="button" class="btn btn-secondary" onClick={() => void make()}>
            Make a new link
          </button>
        )}
        <form method="dialog" class="modal-close-form">
          <button type="submit" class="btn btn-quiet">
            Close
          </button>
        </form>
      </div>
    </ModalDialog>
  );
}
