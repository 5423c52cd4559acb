// Log in (`/login`) and Sign up (`/signup`): two pages, each saying what it needs before
// anything goes wrong, and naming every field's problem at once (the rules are the
// server's own: worker/protocol/account-rules.ts).
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { ACCOUNT_RULES, signupProblems } from "../../../worker/protocol/account-rules.ts";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { PasswordField } from "../components/password-field.tsx";
import { ApiError, api, describeError } from "../lib/api.ts";
import { loginPath, returnPath, signupPath } from "../lib/router.ts";

type Field = "username" | "password";
type FieldErrors = Partial<Record<Field, string>>;

/** "must be …" → "Must be …." (a hint in the words of the error under the field). */
function asHint(...phrases: string[]): string {
  const text =
    phrases.length > 1 ? `${phrases.slice(0, -1).join(", ")}, and ${phrases.at(-1)}` : (phrases[0] ?? "");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

const USERNAME_HINT = asHint(ACCOUNT_RULES.username);
const PASSWORD_HINT = asHint(
  ACCOUNT_RULES.passwordShort,
  ACCOUNT_RULES.passwordHasUsername,
  "must not be one of the 10,000 most common passwords",
);

/**
 * Where signing in leads, kept when switching between the two pages: this address's
 * `next`, or this page itself when the form is embedded in another (the invite page).
 */
function nextPath(): string {
  const asked = returnPath();
  if (asked !== "/") return asked;
  const here = location.pathname;
  return here === "/login" || here === "/signup" ? "/" : here;
}

/** The form's fields and errors, and how a submit runs. */
function useAuthForm(
  check: (username: string, password: string) => FieldErrors,
  send: (username: string, password: string) => Promise<UserRef>,
  onSignedIn: (user: UserRef) => void,
) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);

  // After a first try, the errors follow the typing (a fixed field loses its error at once).
  const update = (field: Field, value: string) => {
    const next = field === "username" ? { username: value, password } : { username, password: value };
    if (field === "username") setUsername(value);
    else setPassword(value);
    if (tried) setErrors(check(next.username, next.password));
  };

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setTried(true);
    setFormError(null);
    const found = check(username, password);
    setErrors(found);
    const first = (["username", "password"] as const).find((field) => found[field]);
    if (first) {
      const form = event.currentTarget;
      if (form instanceof HTMLFormElement) form.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      onSignedIn(await send(username, password));
    } catch (caught) {
      // A field's problem goes under that field, in the same words as its hint.
      if (caught instanceof ApiError && (caught.field === "username" || caught.field === "password")) {
        setErrors({ [caught.field]: describeError(caught) });
      } else setFormError(describeError(caught));
      setBusy(false);
    }
  };
  return { username, password, errors, formError, busy, update, onSubmit };
}

function AuthFrame(props: { title: string; lead: ComponentChildren; children: ComponentChildren }) {
  return (
    <main id="main" tabIndex={-1} class="page page-narrow auth-page">
      <section class="card" aria-labelledby="auth-title">
        <h1 id="auth-title">{props.title}</h1>
        <p class="lead">{props.lead}</p>
        {props.children}
      </section>
    </main>
  );
}

function UsernameField(props: {
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  error: string | undefined;
}) {
  // The error says the rule in the hint's own words: shown instead of it, not twice.
  const hint = props.error ? undefined : props.hint;
  const describedBy = [hint ? "auth-username-hint" : null, props.error ? "auth-username-error" : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div class="field">
      <label for="auth-username">Username</label>
      <input
        id="auth-username"
        name="username"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        maxLength={32}
        value={props.value}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={describedBy || undefined}
        onInput={(event) => props.onValue(event.currentTarget.value)}
      />
      {hint && (
        <p class="hint" id="auth-username-hint">
          {hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id="auth-username-error">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** A sentence for screen readers when a submit finds problems: the fields say which. */
function ProblemCount(props: { errors: FieldErrors }) {
  const count = Object.values(props.errors).filter(Boolean).length;
  if (count === 0) return null;
  return (
    <p class="visually-hidden" role="alert">
      {count === 1 ? "One field needs fixing." : `${count} fields need fixing.`}
    </p>
  );
}

function loginCheck(username: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!username.trim()) errors.username = "Enter your username.";
  if (!password) errors.password = "Enter your password.";
  return errors;
}

export function LoginPage(props: { onSignedIn: (user: UserRef) => void }) {
  const form = useAuthForm(loginCheck, (u, p) => api.login(u, p), props.onSignedIn);
  return (
    <AuthFrame
      title="Log in to Chattr"
      lead={
        <>
          New here? <Link href={signupPath(nextPath())}>Create an account</Link>
        </>
      }
    >
      <form class="stack" onSubmit={form.onSubmit} aria-busy={form.busy} noValidate>
        <UsernameField
          value={form.username}
          onValue={(value) => form.update("username", value)}
          error={form.errors.username}
        />
        <PasswordField
          id="auth-password"
          label="Password"
          name="password"
          value={form.password}
          onValue={(value) => form.update("password", value)}
          autocomplete="current-password"
          maxLength={256}
          error={form.errors.password}
        />
        <ProblemCount errors={form.errors} />
        <FormAlert message={form.formError} id="auth-error" />
        <button type="submit" disabled={form.busy}>
          Log in
        </button>
      </form>
    </AuthFrame>
  );
}

export function SignupPage(props: { onSignedIn: (user: UserRef) => void }) {
  const form = useAuthForm(signupProblems, (u, p) => api.signup(u, p), props.onSignedIn);
  return (
    <AuthFrame
      title="Create your account"
      lead={
        <>
          Already have one? <Link href={loginPath(nextPath())}>Log in</Link>
        </>
      }
    >
      <form class="stack" onSubmit={form.onSubmit} aria-busy={form.busy} noValidate>
        <UsernameField
          value={form.username}
          onValue={(value) => form.update("username", value)}
          hint={USERNAME_HINT}
          error={form.errors.username}
        />
        <PasswordField
          id="auth-password"
          label="Password"
          name="password"
          value={form.password}
          onValue={(value) => form.update("password", value)}
          autocomplete="new-password"
          maxLength={256}
          hint={PASSWORD_HINT}
          error={form.errors.password}
        />
        <ProblemCount errors={form.errors} />
        <FormAlert message={form.formError} id="auth-error" />
        <button type="submit" disabled={form.busy}>
          Sign up
        </button>
      </form>
    </AuthFrame>
  );
}
