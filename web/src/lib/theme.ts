// Light or dark: the user's stored choice, else the system's. `web/public/theme.js` applies
// the same rule before first paint (an external script, so the CSP needs no inline code);
// this module keeps it right afterwards and switches it.

export type Theme = "light" | "dark";

/** Shared with web/public/theme.js, which cannot import it (it runs before the bundle). */
export const THEME_STORAGE_KEY = "chattr:theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

function storedTheme(): Theme | null {
  try {
    const value = localStorage.getItem(THEME_STORAGE_KEY);
    return value === "light" || value === "dark" ? value : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === "dark" ? "dark" : "light";
}

function apply(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

/** Applies the stored or system theme, and follows the system until the user picks one. */
export function initTheme(): void {
  apply(storedTheme() ?? systemTheme());
  window.matchMedia(DARK_QUERY).addEventListener("change", () => {
    if (storedTheme() === null) apply(systemTheme());
  });
}

/** Switches to the other theme and remembers the choice. */
export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === "dark" ? "light" : "dark";
  apply(next);
  try {
    localStorage.setItem(THEME_STORAGE_KEY, next);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
  return next;
}
