import { useRef, useState } from "preact/hooks";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";

/** The message box: Enter sends, Shift+Enter starts a new line. */
export function Composer(props: { onSend: (text: string) => boolean; disabled?: boolean }) {
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
        onInput={(event) => setText(event.currentTarget.value)}
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
