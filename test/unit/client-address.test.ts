import { describe, expect, it } from "vitest";
import { clientKey } from "../../worker/rate-limit/client-address.ts";

describe("clientKey", () => {
  it("counts IPv4 addresses one by one", () => {
    expect(clientKey("203.0.113.7")).toBe("203.0.113.7");
    expect(clientKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("counts IPv6 addresses by their /64, however they are written", () => {
    const key = clientKey("2001:db8:aa:bb::1");
    expect(key).toBe("2001:db8:aa:bb::/64");
    expect(clientKey("2001:0DB8:00aa:00bb:ffff:ffff:ffff:ffff")).toBe(key);
    expect(clientKey("2001:db8:aa:bb:1:2:3:4")).toBe(key);
    expect(clientKey("2001:db8:aa:bc::1")).not.toBe(key);
    expect(clientKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientKey("::1")).toBe("0:0:0:0::/64");
  });

  it("keeps what it cannot read, and names a missing address", () => {
    expect(clientKey(undefined)).toBe("unknown");
    expect(clientKey("not an address")).toBe("not an address");
    expect(clientKey("1::2::3")).toBe("1::2::3");
  });
});
