import { useState } from "preact/hooks";
import { currentTheme, toggleTheme } from "../lib/theme.ts";
import { Icon } from "./icons.tsx";

/** Switches light/dark for visitors (accounts find it in their menu); the icon shows the theme a press switches to. */
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
      <Icon name={next === "dark" ? "moon" : "sun"} />
    </button>
  );
}
