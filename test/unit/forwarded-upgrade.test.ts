import { describe, expect, it } from "vitest";
import { forwardedUpgradeHeaders, readForwardedUpgrade } from "../../worker/sockets/forwarded-upgrade.ts";

const ana = { id: "a", name: "ana", guest: false };

describe("forwarded upgrades", () => {
  it("carries the session from the Worker to the object, a visitor's too", () => {
    for (const session of [
      { user: ana, sid: "s1", claimedVersion: 3, address: "203.0.113.7" },
      { user: null, sid: "", claimedVersion: null, address: "" },
    ]) {
      const request = new Request("https://room.internal/ws", { headers: forwardedUpgradeHeaders(session) });
      expect(readForwardedUpgrade(request)).toEqual(session);
    }
  });

  it("is no forwarded upgrade without its headers, and a version that is no integer claims none", () => {
    expect(readForwardedUpgrade(new Request("https://room.internal/ws"))).toBeNull();
    const headers = forwardedUpgradeHeaders({ user: ana, sid: "s1", claimedVersion: 1, address: "" });
    headers.set("x-chattr-session-version", "1.5");
    expect(
      readForwardedUpgrade(new Request("https://room.internal/ws", { headers }))?.claimedVersion,
    ).toBeNull();
  });
});
