// What makes a new password acceptable: long enough, not one of the most common
// passwords, and not built around the username. Checked on the server for sign-up and
// for the new password on change; log-in never applies it, so older passwords keep
// working. Pure: no platform code, unit-tested in Node.
import { COMMON_PASSWORD_RANK, COMMON_PASSWORDS } from "./common-passwords.ts";

export const PASSWORD_LENGTH = { min: 8, max: 256 } as const;

/**
 * The list as a Set, built on the first check rather than at start-up: most requests
 * never set a password, and an isolate keeps the Set for every later check.
 */
let common: ReadonlySet<string> | undefined;

function isCommonPassword(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS.split("\n"));
  // The list is lower case; "PASSWORD" is as guessable as "password".
  return common.has(password.toLowerCase());
}

/**
 * Why `password` cannot be the password of `username`, as a phrase after the field's
 * name ("password: is one of …"); null when it can.
 */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_LENGTH.min) return `must be at least ${PASSWORD_LENGTH.min} characters`;
  if (password.length > PASSWORD_LENGTH.max) return `must be at most ${PASSWORD_LENGTH.max} characters`;
  if (isCommonPassword(password))
    return `is one of the ${COMMON_PASSWORD_RANK.toLocaleString("en")} most common passwords; choose another`;
  if (username.length > 0 && password.toLowerCase().includes(username.toLowerCase()))
    return "must not contain your username";
  return null;
}
