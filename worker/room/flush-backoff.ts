/** Delay before flush attempt number `failures + 1`: 1 s, 2 s, 4 s … capped at 60 s, with jitter. */
export function flushRetryDelayMs(failures: number, random: () => number = Math.random): number {
  const base = Math.min(1_000 * 2 ** Math.max(0, failures - 1), 60_000);
  return Math.round(base * (0.75 + random() * 0.25));
}
