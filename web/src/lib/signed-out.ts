// Signed out from elsewhere (a password change, a session ended in Settings): what the tab
// forgets and what it tells the person. Pure logic, unit-tested in Node.

/**
 * What this browser keeps of an account: queued messages (outbox.ts), drafts per room and
 * the last room opened. All of it goes when the session ends, so the next person at this
 * browser sees none of it.
 */
const ACCOUNT_KEY_PREFIXES = ["chattr.outbox.v1:", "chattr:draft:", "chattr:last-room"];

export function accountKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => ACCOUNT_KEY_PREFIXES.some((prefix) => key.startsWith(prefix)));
}

/** The close reason of a 4001 (worker/protocol/room-protocol.ts SessionEndReason), said to a person. */
export function signedOutMessage(reason: string | null): string {
  switch (reason) {
    case "password_changed":
      return "You were signed out because your password was changed in another browser.";
    case "signed_out":
      return "You were signed out from another browser.";
    default:
      return "Your session ended. Log in again to carry on.";
  }
}

/** Removes the account's keys from `storage` (localStorage in the app). */
export function forgetAccount(storage: Pick<Storage, "length" | "key" | "removeItem">): void {
  const keys: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key !== null) keys.push(key);
  }
  for (const key of accountKeys(keys)) storage.removeItem(key);
}
