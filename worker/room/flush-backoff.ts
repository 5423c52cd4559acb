/**
 * Delay before flush attempt number `failures + 1`: 1 s, 2 s, 4 s, 8 s, then every 10 s,
 * with jitter. The cap bounds how long history stays behind after Postgres comes back
 * (the bench's 30 s outage caught up within the cap); one attempt per room per 10 s is
 * cheap for a database that is down.
 */
export const FLUSH_RETRY_CAP_MS = 10_000;

export function flushRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(1_000 * 2 ** Math.max(0, failures - 1), FLUSH_RETRY_CAP_MS);
  return Math.round(base * (0.75 + random() * 0.25));
}
