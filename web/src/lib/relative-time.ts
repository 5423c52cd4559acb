// "5 minutes ago": how long since a moment, in words, for last-seen and last-login lines.
import { relativeTime } from "./date-formats.ts";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** `iso` relative to `now`: "just now" under a minute, then "2 minutes ago", "yesterday"… */
export function timeAgo(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  for (const [unit, size] of UNITS) {
    if (seconds >= size) return relativeTime().format(-Math.floor(seconds / size), unit);
  }
  return "just now";
}
