// The app's date and time formatters, each made on first use rather than when a module
// loads. The first Intl formatter in a page loads the locale's calendar and time-zone data:
// tens of milliseconds of main thread on a phone. Made at module load, that landed in the
// same task as evaluating the bundle and the first render; `warmDateFormats` (boot.ts) now
// makes the first screen's in a task of its own, while that screen's requests are in flight.

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => {
    made ??= make();
    return made;
  };
}

/** "14:05" or "2:05 PM", as the reader's locale writes a time of day. */
export const timeOfDay = once(
  () => new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" }),
);
/** The full date and time, for a tooltip. */
export const fullDateTime = once(
  () => new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" }),
);
/** "Monday, March 3": a day this year. */
export const dayThisYear = once(
  () => new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }),
);
/** "March 3, 2025": a day in another year. */
export const dayWithYear = once(() => new Intl.DateTimeFormat(undefined, { dateStyle: "long" }));
/** "5 minutes ago", "yesterday". English, like the rest of the interface. */
export const relativeTime = once(() => new Intl.RelativeTimeFormat("en", { numeric: "auto" }));

/** Makes the formatters a room's first screen uses, so the locale data is loaded before it renders. */
export function warmDateFormats(): void {
  timeOfDay().format(0);
  fullDateTime();
}
