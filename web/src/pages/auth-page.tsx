import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { PasswordField } from "../components/password-field.tsx";
import { api, describeError } from "../lib/api.ts";

type Action = "login" | "signup";

/** Sign-in form: the same two fields either log in or create the account. */
export function AuthPage(props: { onSignedIn: (user: UserRef) => void }) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    // Enter in a field submits with the first button, "Log in".
    const action: Action =
      event.submitter instanceof HTMLButtonElement && event.submitter.value === "signup" ? "signup" : "login";
    setBusy(action);
    setError(null);
    try {
      const user =
        action === "signup" ? await api.signup(username, password) : await api.login(username, password);
      props.onSignedIn(user);
    } catch (caught) {
      setError(describeError(caught));
      setBusy(null);
    }
  };

  return (
    <main id="main" tabIndex={-1} class="page page-narrow">
      <section class="card">
        <h1>Welcome to Chattr</h1>
        <p class="lead">Log in, or pick a username and password and sign up.</p>
        <form class="stack" onSubmit={onSubmit} aria-busy={busy !== null}>
          <div class="field">
            <label for="auth-username">Username</label>
            <input
              id="auth-username"
              name="username"
              autocomplete="username"
              autocapitalize="none"
              spellcheck={false}
              required
              maxLength={32}
              value={username}
              onInput={(event) => setUsername(event.currentTarget.value)}
            />
            <p class="hint">3–32 characters: letters, digits and _.</p>
          </div>
          <PasswordField
            id="auth-password"
            label="Password"
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
            maxLength={256}
            name="password"
            hint="At least 8 characters. New accounts: not a common password, not containing your username."
          />
          <FormAlert message={error} id="auth-error" />
          <div class="actions">
            <button type="submit" value="login" disabled={busy !== null}>
              Log in
            </button>
            <button type="submit" value="signup" class="button-secondary" disabled={busy !== null}>
              Sign up
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
