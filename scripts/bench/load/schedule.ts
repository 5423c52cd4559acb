// Open-loop send schedules. Each message has an INTENDED send time fixed before the run;
// latency is measured from that time, not from when the generator got round to sending,
// so a server (or generator) that falls behind shows its whole delay instead of hiding it
// (coordinated omission).

/** A small seeded PRNG (mulberry32), so every system gets exactly the same schedule. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Offsets (ms from the start) of a Poisson process with `ratePerSecond`, for `durationMs`. */
export function poissonSchedule(ratePerSecond: number, durationMs: number, random: () => number): number[] {
  const offsets: number[] = [];
  const meanGapMs = 1000 / ratePerSecond;
  let at = 0;
  for (;;) {
    // Exponential inter-arrival times; 1 − random() is in (0, 1], so the log is finite.
    at += -Math.log(1 - random()) * meanGapMs;
    if (at >= durationMs) return offsets;
    offsets.push(at);
  }
}
