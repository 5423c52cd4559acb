import { useState } from "preact/hooks";

/**
 * A labelled password input with an optional hint and error, and "Show password" (a
 * toggle button: its name stays, aria-pressed says whether the password shows): every
 * password the app asks for.
 */
export function PasswordField(props: {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** `new-password` lets password managers offer one; `off` for a room's shared password. */
  autocomplete: "current-password" | "new-password" | "off";
  minLength?: number;
  maxLength: number;
  hint?: string;
  /** This field's problem, shown under it and read with it. */
  error?: string | null | undefined;
  name?: string;
}) {
  const [shown, setShown] = useState(false);
  const hintId = `${props.id}-hint`;
  const errorId = `${props.id}-error`;
  const describedBy = [props.hint ? hintId : null, props.error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <div class="password-input">
        <input
          id={props.id}
          name={props.name}
          type={shown ? "text" : "password"}
          autocomplete={props.autocomplete}
          autocapitalize="none"
          spellcheck={false}
          required
          minLength={props.minLength}
          maxLength={props.maxLength}
          value={props.value}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onInput={(event) => props.onValue(event.currentTarget.value)}
        />
        <button
          type="button"
          class="button-quiet password-toggle"
          aria-pressed={shown}
          aria-controls={props.id}
          onClick={() => setShown((was) => !was)}
        >
          {/* One name whatever the state ("Show password"); aria-pressed says which. */}
          Show<span class="visually-hidden"> password</span>
        </button>
      </div>
      {props.hint && (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
}
