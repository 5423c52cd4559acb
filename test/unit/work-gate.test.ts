import { describe, expect, it } from "vitest";
import { GateFull, WorkGate } from "../../worker/auth/work-gate.ts";

function deferred() {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("WorkGate", () => {
  it("runs at most `concurrency` at once; the others start as slots free up", async () => {
    const gate = new WorkGate({ concurrency: 2, maxWaitMs: 5_000, pollMs: 1 });
    let running = 0;
    let most = 0;
    const finish = Array.from({ length: 6 }, deferred);
    const runs = finish.map((d, i) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        await d.promise;
        running--;
        return i;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(gate.running).toBe(2);
    for (const d of finish) {
      d.resolve();
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    expect(gate.running).toBe(0);
  });

  it("gives up with GateFull when no slot frees in time, and frees the slot of work that threw", async () => {
    let clock = 0;
    const gate = new WorkGate({
      concurrency: 1,
      maxWaitMs: 100,
      pollMs: 10,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const hold = deferred();
    const first = gate.run(() => hold.promise);
    await expect(gate.run(async () => 2)).rejects.toBeInstanceOf(GateFull);
    hold.resolve();
    await first;
    await expect(
      gate.run(async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(gate.running).toBe(0);
    expect(await gate.run(async () => 4)).toBe(4);
  });
});
