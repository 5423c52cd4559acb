// Password hashing with argon2id (@noble/hashes: pure JS, because Workers cannot compile
// WebAssembly at run time). Hashes are PHC strings that carry their own parameters, so
// the cost can be raised later and old hashes still verify.
import { argon2idAsync } from "@noble/hashes/argon2.js";
import { WorkGate } from "./work-gate.ts";

/** OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. */
export const ARGON2ID_PARAMS = { m: 19 * 1024, t: 2, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

/**
 * Hashes running at once in this isolate: two hold 38 MiB of an isolate's 128 MB, leaving
 * the rest to the app, and an isolate runs on one thread, so more at once would only
 * finish each later. A request waits up to 10 s for a slot (a burst of sign-ins), then
 * gets 503 with Retry-After (index.ts). The limiters (rate-limit/limits.ts) keep any one
 * address or account far below this.
 */
export const HASH_GATE = new WorkGate({ concurrency: 2, maxWaitMs: 10_000, pollMs: 25 });

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
  const hash = await HASH_GATE.run(() => argon2idAsync(password, salt, { m, t, p, dkLen: HASH_BYTES }));
  return `$argon2id$v=19$m=${m},t=${t},p=${p}$${toBase64(salt)}$${toBase64(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match) return false;
  const [, m = "", t = "", p = "", salt = "", expected = ""] = match;
  const want = fromBase64(expected);
  const got = await HASH_GATE.run(() =>
    argon2idAsync(password, fromBase64(salt), {
      m: Number(m),
      t: Number(t),
      p: Number(p),
      dkLen: want.length,
    }),
  );
  // Constant-time comparison: the loop never exits early.
  let diff = got.length ^ want.length;
  for (let i = 0; i < want.length; i++) diff |= (got[i] ?? 0) ^ (want[i] ?? 0);
  return diff === 0;
}

/**
 * A hash to verify against when the username does not exist, so that "no such user"
 * costs the same time as "wrong password" and does not reveal which one it was. It is the
 * hash of random bytes nobody kept, with today's parameters: it matches nothing.
 */
export const DECOY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$vcN31g6Iku2B3t0FHR5wWg$DlXUAwPO+6uk8jsrCEmbihsilGdw3v2jbUYnU3yiXfk";
