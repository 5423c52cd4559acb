// Rooms waiting for Postgres share one probe per isolate (worker/room/recovery-watch.ts).
import { describe, expect, it } from "vitest";
import { RECOVERY_CHECK_MS, RecoveryWatch, recoveryCheckDelayMs } from "../../worker/room/recovery-watch.ts";

describe("RecoveryWatch", () => {
  it("lets one of many waiting rooms probe per interval", () => {
    const watch = new RecoveryWatch();
    let probes = 0;
    // 50 rooms looking every 100 ms for 5 s.
    for (let now = 0; now < 5_000; now += 100) {
      for (let room = 0; room < 50; room++) if (watch.claimProbe(now)) probes++;
    }
    expect(probes).toBe(5_000 / RECOVERY_CHECK_MS);
  });

  it("tells a room that failed before an answer to go, and not one that failed after", () => {
    const watch = new RecoveryWatch();
    expect(watch.answeredSince(1_000)).toBe(false);
    watch.noteAnswered(2_000);
    expect(watch.answeredSince(1_000)).toBe(true);
    expect(watch.answeredSince(2_500)).toBe(false);
    // An older answer arriving late does not move it back.
    watch.noteAnswered(1_500);
    expect(watch.answeredSince(1_800)).toBe(true);
  });

  it("spreads the rooms' looks around a second", () => {
    expect(recoveryCheckDelayMs(() => 0)).toBe(750);
    expect(recoveryCheckDelayMs(() => 1)).toBe(1_250);
  });
});
