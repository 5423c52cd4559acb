import { describe, expect, it } from "vitest";
import {
  describeBrowser,
  isIdle,
  RENEW_COOKIE_AFTER_MS,
  retentionMs,
  SESSION_IDLE_MS,
  shouldRenewCookie,
} from "../../worker/auth/session-rules.ts";

const DAY = 24 * 60 * 60 * 1000;

describe("session rules", () => {
  it("ends an account's session after 14 days unused, a guest's after one", () => {
    const now = Date.UTC(2026, 11, 6);
    expect(isIdle(now - 13 * DAY, now, false)).toBe(false);
    expect(isIdle(now - 14 * DAY, now, false)).toBe(true);
    expect(isIdle(now - DAY + 1, now, true)).toBe(false);
    expect(isIdle(now - DAY, now, true)).toBe(true);
  });

  it("renews a cookie once it is a day old, so a session in use never expires", () => {
    const now = Date.UTC(2026, 11, 6);
    expect(shouldRenewCookie((now - DAY + 1000) / 1000, now)).toBe(false);
    expect(shouldRenewCookie((now - DAY) / 1000, now)).toBe(true);
  });

  it("keeps an ended session's record for as long as any of its cookies can live", () => {
    // A cookie renewed at the last activity lives SESSION_IDLE_MS from then.
    expect(retentionMs(false)).toBeGreaterThanOrEqual(SESSION_IDLE_MS);
    expect(retentionMs(false)).toBe(SESSION_IDLE_MS + RENEW_COOKIE_AFTER_MS);
  });

  it("names browsers as people know them", () => {
    const cases: [string | undefined, string][] = [
      ["Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0", "Firefox on Linux"],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36",
        "Chrome on Windows",
      ],
      [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36 Edg/142.0.0.0",
        "Edge on Windows",
      ],
      [
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
        "Safari on iPhone",
      ],
      [
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Safari on macOS",
      ],
      [
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36",
        "Chrome on Android",
      ],
      ["curl/8.5.0", "curl"],
      [undefined, "Unknown browser"],
      ["something odd", "Unknown browser"],
    ];
    for (const [agent, expected] of cases) expect(describeBrowser(agent)).toBe(expected);
  });
});
