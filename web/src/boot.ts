// Imported first by main.tsx, so it runs before the rest of the app's modules are
// evaluated (their top-level work, e.g. building Intl formatters, comes after): starts the
// first screen's requests.
import { startEarlyRequests } from "./lib/early.ts";

startEarlyRequests();
