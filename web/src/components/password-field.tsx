/** A labelled password input with an optional hint: every password the app asks for. */
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
  name?: string;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type="password"
        autocomplete={props.autocomplete}
        required
        minLength={props.minLength}
        maxLength={props.maxLength}
        value={props.value}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
      {props.hint && <p class="hint">{props.hint}</p>}
    </div>
  );
}
