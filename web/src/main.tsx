// First: the first screen's requests start before the other modules are evaluated.
import "./boot.ts";
import { render } from "preact";
import { App } from "./app.tsx";
import { initTheme } from "./lib/theme.ts";
import "./styles.css";
import "./styles/buttons.css";
import "./styles/room-chrome.css";

// Again here: theme.js may have found no storage; this also follows later system changes.
initTheme();

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(<App />, root);
