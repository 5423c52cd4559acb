import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { typingText } from "../lib/typing.ts";

/** Who else is typing, below the messages; always rendered so changes are announced. */
export function TypingIndicator(props: { users: UserRef[] }) {
  return (
    <p class="typing-indicator" role="status" aria-live="polite" aria-label="Typing">
      {typingText(props.users)}
    </p>
  );
}
