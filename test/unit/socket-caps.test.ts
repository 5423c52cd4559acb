import { describe, expect, it } from "vitest";
import { oldestBeyondCap } from "../../worker/sockets/socket-caps.ts";

describe("oldestBeyondCap", () => {
  const at = (socket: { at: number }) => socket.at;
  it("nothing within the cap", () => {
    expect(oldestBeyondCap([{ at: 1 }, { at: 2 }], at, 2)).toEqual([]);
  });
  it("the oldest beyond it, whatever the order given", () => {
    const sockets = [{ at: 5 }, { at: 1 }, { at: 3 }, { at: 4 }];
    expect(oldestBeyondCap(sockets, at, 2)).toEqual([{ at: 1 }, { at: 3 }]);
  });
  it("ties keep the order given (acceptance order)", () => {
    const a = { at: 1, name: "a" };
    const b = { at: 1, name: "b" };
    expect(oldestBeyondCap([a, b, { at: 2, name: "c" }], at, 2)).toEqual([a]);
  });
});
