// The headless Chromium that the browser suite and the web-app benchmark drive: Debian's
// package by default (never a test tool's own download), or CHROMIUM_PATH.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Headless, in a container, with nothing reaching out to the network by itself. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
