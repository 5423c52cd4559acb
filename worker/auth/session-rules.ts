// How long sessions last and how they are described: the rules, apart from the UserHub
// that keeps each account's sessions and the middleware that renews cookies.

/** A session unused this long ends (and its cookie expires with it). */
export const SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
/** Guests are passers-by: their sessions end a day after they were last used. */
export const GUEST_SESSION_IDLE_MS = 24 * 60 * 60 * 1000;
/** A cookie older than this is re-issued on the next request (sliding expiry). */
export const RENEW_COOKIE_AFTER_MS = 24 * 60 * 60 * 1000;
/** Last-active times are written at most this often per session (one write a minute at most). */
export const TOUCH_INTERVAL_MS = 60 * 1000;
/** Sessions an account keeps; past it, the least recently active ends. */
export const MAX_SESSIONS_PER_ACCOUNT = 50;

export function idleLimitMs(guest: boolean): number {
  return guest ? GUEST_SESSION_IDLE_MS : SESSION_IDLE_MS;
}

/**
 * How long an ended or idle session's record is kept: until every cookie it was ever
 * issued has expired (each carries at most the idle limit from its last renewal, and the
 * last renewal was no later than the last activity), so a replayed cookie can never find
 * its session missing and be taken for a new one.
 */
export function retentionMs(guest: boolean): number {
  return idleLimitMs(guest) + RENEW_COOKIE_AFTER_MS;
}

export function isIdle(lastActiveAt: number, now: number, guest: boolean): boolean {
  return now - lastActiveAt >= idleLimitMs(guest);
}

/** Whether a cookie issued at `issuedAtSeconds` (JWT `iat`) should be re-issued now. */
export function shouldRenewCookie(issuedAtSeconds: number, now: number): boolean {
  return now - issuedAtSeconds * 1000 >= RENEW_COOKIE_AFTER_MS;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/CriOS\/|Chrome\/|Chromium\//, "Chrome"],
  [/Version\/[\d.]+.*Safari\//, "Safari"],
  [/curl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

/** "Firefox on Linux", from a User-Agent header; what Settings shows for a session. */
export function describeBrowser(userAgent: string | undefined): string {
  if (!userAgent) return "Unknown browser";
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `A browser on ${system}` : "Unknown browser");
}
