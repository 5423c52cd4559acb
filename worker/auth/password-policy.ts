// What makes a new password acceptable: long enough, not one of the most common
// passwords, and not built around the username. Checked on the server for sign-up and
// for the new password on change; log-in never applies it, so older passwords keep
// working. Pure: no platform code, unit-tested in Node.
import { ACCOUNT_RULES, PASSWORD_LENGTH, passwordRuleProblem } from "../protocol/account-rules.ts";
import { COMMON_PASSWORDS } from "./common-passwords.ts";

export { PASSWORD_LENGTH };

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
 * name ("password: is one of …"); null when it can. The phrases are the sign-up form's
 * (protocol/account-rules.ts), so its hints and the server's errors say the same.
 */
export function passwordProblem(password: string, username: string): string | null {
  const length = password.length < PASSWORD_LENGTH.min || password.length > PASSWORD_LENGTH.max;
  if (length) return passwordRuleProblem(password, "");
  // The words name the list's size; a unit test holds them to COMMON_PASSWORD_RANK.
  if (isCommonPassword(password)) return ACCOUNT_RULES.passwordCommon;
  return passwordRuleProblem(password, username);
}
