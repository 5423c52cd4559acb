// Password hashing with argon2id (@noble/hashes: pure JS, because Workers cannot compile
// WebAssembly at run time). Hashes are PHC strings that carry their own parameters, so
// the cost can be raised later and old hashes still verify.
import { argon2idAsync } from "@noble/hashes/argon2.js";

/** OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. */
export const ARGON2ID_PARAMS = { m: 19 * 1024, t: 2, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/=+$/, "");
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const { m, t, p } = ARGON2ID_PARAMS;
  const hash = await argon2idAsync(password, salt, { m, t, p, dkLen: HASH_BYTES });
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match) return false;
  const [, m = "", t = "", p = "", salt = "", expected = ""] = match;
  const want = fromBase64(expected);
  const got = await argon2idAsync(password, fromBase64(salt), {
    m: Number(m),
    t: Number(t),
    p: Number(p),
    dkLen: want.length,
  });
  // Constant-time comparison: the loop never exits early.
  let diff = got.length ^ want.length;
  for (let i = 0; i < want.length; i++) diff |= (got[i] ?? 0) ^ (want[i] ?? 0);
  return diff === 0;
}

/**
 * A hash to verify against when the username does not exist, so that "no such user"
 * costs the same time as "wrong password" and does not reveal which one it was.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword("decoy password that matches nothing");
  return decoy;
}
