import { useRef, useState } from "preact/hooks";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";

interface Props {
  onSend: (text: string) => boolean;
  /** The text changed (drives the typing indicator others see). */
  onTextChange?: (text: string) => void;
  /** The box lost focus: this user is no longer typing. */
  onBlur?: () => void;
  disabled?: boolean;
}

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: Props) {
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);

  const submit = () => {
    if (props.onSend(text)) setText("");
    input.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // isComposing: Enter that confirms an IME composition must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
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
          setText(event.currentTarget.value);
          props.onTextChange?.(event.currentTarget.value);
        }}
        onBlur={() => props.onBlur?.()}
        onKeyDown={onKeyDown}
        disabled={props.disabled}
        autocomplete="off"
      />
      <button type="submit" disabled={props.disabled || text.trim() === ""}>
        Send
      </button>
    </form>
  );
}
