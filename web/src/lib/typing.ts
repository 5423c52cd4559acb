// Typing indicators: the text shown, and when this user's own typing is sent. (Who else is
// typing is part of the room state, room-state.ts.) Pure logic (time is passed in), unit-tested in Node.
import { TYPING_REFRESH_MS, type UserRef } from "../../../worker/protocol/room-protocol.ts";

/** "Ana is typing…", "Ana and Ben are typing…", "Several people are typing…", or "". */
export function typingText(users: readonly Pick<UserRef, "name">[]): string {
  const [first, second] = users;
  if (!first) return "";
  if (!second) return `${first.name} is typing…`;
  if (users.length === 2) return `${first.name} and ${second.name} are typing…`;
  return "Several people are typing…";
}

/**
 * This user's own typing state: decides when the composer sends `typing {active}`.
 * `true` at most every TYPING_REFRESH_MS while the text changes and is not empty; `false`
 * once when it becomes empty or the composer loses focus.
 */
export class TypingSignal {
  readonly #refresh: number;
  #active = false;
  #lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(refreshMs: number = TYPING_REFRESH_MS) {
    this.#refresh = refreshMs;
  }

  get active(): boolean {
    return this.#active;
  }

  /** The text changed: returns the frame value to send, or null. */
  input(text: string, now: number): boolean | null {
    if (text.trim() === "") return this.stop();
    if (this.#active && now - this.#lastSentAt < this.#refresh) return null;
    this.#active = true;
    this.#lastSentAt = now;
    return true;
  }

  /** Empty input or blur: returns false if the room was told we were typing, else null. */
  stop(): false | null {
    if (!this.#active) return null;
    this.#active = false;
    return false;
  }

  /** The room cleared it already (a message was sent, or the socket closed). */
  cleared(): void {
    this.#active = false;
    this.#lastSentAt = Number.NEGATIVE_INFINITY;
  }
}
