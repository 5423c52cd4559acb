// "Set topic", for the room's owner: one line (at most LIMITS.maxTopicLength), saved with
// PATCH /api/rooms/:id; everyone in the room sees it at once (room_updated).
import { useEffect, useState } from "preact/hooks";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";
import { accessApi } from "../lib/access-api.ts";
import { describeError } from "../lib/api.ts";
import { FormAlert } from "./form-alert.tsx";
import { ModalDialog } from "./modal-dialog.tsx";

interface Props {
  roomId: string;
  topic: string | null;
  open: boolean;
  onClose: () => void;
  onSaved: (topic: string | null) => void;
}

export function TopicDialog(props: Props) {
  const [draft, setDraft] = useState(props.topic ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Each opening starts from the topic as it is now.
  useEffect(() => {
    if (props.open) {
      setDraft(props.topic ?? "");
      setError(null);
    }
  }, [props.open]);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await accessApi.setTopic(props.roomId, draft);
      props.onSaved(saved);
      props.onClose();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setBusy(false);
    }
  };

  const left = LIMITS.maxTopicLength - draft.trim().length;
  return (
    <ModalDialog id="topic-dialog" open={props.open} onClose={props.onClose} title="Room topic">
      <form class="stack" onSubmit={(event) => void onSubmit(event)}>
        <div class="field">
          <label for="topic-dialog-input">Topic</label>
          <input
            id="topic-dialog-input"
            value={draft}
            maxLength={LIMITS.maxTopicLength}
            aria-describedby="topic-dialog-hint"
            placeholder="What this room is about"
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
          <p id="topic-dialog-hint" class="hint">
            One line, up to {LIMITS.maxTopicLength} characters ({left} left). Everyone in the room sees it;
            leave it empty to clear it.
          </p>
        </div>
        <FormAlert message={error} />
        <div class="modal-actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            Save topic
          </button>
          <button type="button" class="btn btn-quiet" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
