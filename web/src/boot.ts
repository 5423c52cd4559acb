// Imported first by main.tsx, so it runs before the rest of the app's modules are
// evaluated: starts the first screen's requests, then, in a task of its own after the first
// render, loads the locale data the messages' times need while those requests are in flight
// (the first Intl formatter of a page is a long task on a phone; see date-formats.ts).
import { warmDateFormats } from "./lib/date-formats.ts";
import { startEarlyRequests } from "./lib/early.ts";

startEarlyRequests();
setTimeout(warmDateFormats, 0);
