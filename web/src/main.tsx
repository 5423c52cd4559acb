// First: the first screen's requests start before the other modules are evaluated.
import "./boot.ts";
import { render } from "preact";
import { App } from "./app.tsx";
import { startTabBadge } from "./lib/tab-badge.ts";
import { initTheme } from "./lib/theme.ts";
import "./styles.css";
import "./styles/buttons.css";
import "./styles/room-chrome.css";
// After styles.css, so their rules win over the shared ones they refine.
import "./styles/sidebar.css";
import "./styles/pages.css";

// Again here: theme.js may have found no storage; this also follows later system changes.
initTheme();
startTabBadge();

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(<App />, root);
