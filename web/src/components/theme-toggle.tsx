import { useState } from "preact/hooks";
import { currentTheme, toggleTheme } from "../lib/theme.ts";

/** Switches light/dark; the icon shows the theme a press switches to. */
export function ThemeToggle() {
  const [theme, setTheme] = useState(currentTheme);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button
      type="button"
      class="btn btn-quiet btn-icon"
      aria-label="Toggle theme"
      title={`Switch to the ${next} theme`}
      onClick={() => setTheme(toggleTheme())}
    >
      <span aria-hidden="true">{next === "dark" ? "☾" : "☀"}</span>
    </button>
  );
}
