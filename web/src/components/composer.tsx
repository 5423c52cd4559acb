import { useRef, useState } from "preact/hooks";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";
import { loadDraft, saveDraft } from "../lib/drafts.ts";
import { useAutosize } from "../lib/use-autosize.ts";

interface Props {
  /** Whose draft this is: kept per room. */
  roomId: string;
  onSend: (text: string) => boolean;
  /** The text changed (drives the typing indicator others see). */
  onTextChange?: (text: string) => void;
  /** The box lost focus: this user is no longer typing. */
  onBlur?: () => void;
  disabled?: boolean;
}

/** Enter that confirms an IME composition (keyCode 229 in Safari) must not send. */
function isComposing(event: KeyboardEvent): boolean {
  return event.isComposing || event.keyCode === 229;
}

/** The message box: Enter sends, Shift+Enter starts a new line; grows with its text; keeps a draft. */
export function Composer(props: Props) {
  const { roomId } = props;
  const [text, setText] = useState(() => loadDraft(roomId));
  const input = useRef<HTMLTextAreaElement>(null);
  useAutosize(input, text);

  const update = (next: string) => {
    setText(next);
    saveDraft(roomId, next);
  };

  const submit = () => {
    if (props.onSend(text)) update("");
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Enter" && !event.shiftKey && !isComposing(event)) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <label for="composer-input" class="visually-hidden">
        Message
      </label>
      <textarea
        id="composer-input"
        ref={input}
        rows={1}
        maxLength={LIMITS.maxBodyLength}
        placeholder="Write a message"
        value={text}
        onInput={(event) => {
          update(event.currentTarget.value);
          props.onTextChange?.(event.currentTarget.value);
        }}
        onBlur={() => props.onBlur?.()}
        onKeyDown={onKeyDown}
        disabled={props.disabled}
        autocomplete="off"
        aria-describedby="composer-hint"
      />
      <span id="composer-hint" class="visually-hidden">
        Enter sends. Shift+Enter adds a line.
      </span>
      <button type="submit" disabled={props.disabled || text.trim() === ""}>
        Send
      </button>
    </form>
  );
}
