// Runs in <head> before the page paints, so a dark theme never flashes light (an external
// file: the CSP allows no inline script). The app (web/src/lib/theme.ts) takes over later.
try {
  const stored = localStorage.getItem("chattr:theme");
  const dark = stored ? stored === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
} catch (_) {
  // No storage: the app applies the system theme when it starts.
}
