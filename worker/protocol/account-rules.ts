// The rules for a new account's username and password, in the words both the server's
// errors and the sign-up form's hints use ("Password must be at least 8 characters" under
// the field says exactly what the hint above it said). Pure and small, so the web app
// imports it and shows every broken rule at once; the server checks the same rules (and
// one more, the list of common passwords, which is too big to ship to browsers).

export const USERNAME_PATTERN = /^[a-z0-9_]{3,32}$/;
export const PASSWORD_LENGTH = { min: 8, max: 256 } as const;

/** Each rule as a phrase after the field's name: "username: must be …". */
export const ACCOUNT_RULES = {
  username: "must be 3–32 characters of a–z, 0–9 and _",
  passwordShort: `must be at least ${PASSWORD_LENGTH.min} characters`,
  passwordLong: `must be at most ${PASSWORD_LENGTH.max} characters`,
  passwordHasUsername: "must not contain your username",
  /** The server's own check (auth/password-policy.ts), named here so the hint can say it. */
  passwordCommon: "is one of the 10,000 most common passwords; choose another",
} as const;

/** How the server reads a username: trimmed, lower case (so "Ann " is "ann"). */
export function normalUsername(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Why `raw` cannot be a username, or null. */
export function usernameProblem(raw: string): string | null {
  return USERNAME_PATTERN.test(normalUsername(raw)) ? null : ACCOUNT_RULES.username;
}

/** Why `password` cannot be `username`'s password by the rules a browser can check, or null. */
export function passwordRuleProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_LENGTH.min) return ACCOUNT_RULES.passwordShort;
  if (password.length > PASSWORD_LENGTH.max) return ACCOUNT_RULES.passwordLong;
  const name = normalUsername(username);
  if (name.length > 0 && password.toLowerCase().includes(name)) return ACCOUNT_RULES.passwordHasUsername;
  return null;
}

/** "password" + "must be …" → "Password must be …." (how the web app shows a field's error). */
export function fieldSentence(field: string, phrase: string): string {
  return `${field.charAt(0).toUpperCase()}${field.slice(1)} ${phrase}${/[.!?]$/.test(phrase) ? "" : "."}`;
}

/** Every broken rule of a sign-up at once, by field. */
export function signupProblems(username: string, password: string): { username?: string; password?: string } {
  const problems: { username?: string; password?: string } = {};
  const user = usernameProblem(username);
  if (user) problems.username = fieldSentence("username", user);
  const pass = passwordRuleProblem(password, user ? "" : username);
  if (pass) problems.password = fieldSentence("password", pass);
  return problems;
}
