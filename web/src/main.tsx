import { render } from "preact";
import { App } from "./app.tsx";
import { startEarlyRequests } from "./lib/early.ts";
import { initTheme } from "./lib/theme.ts";
import "./styles.css";

// Again here: theme.js may have found no storage; this also follows later system changes.
initTheme();
startEarlyRequests();

const root = document.getElementById("app");
if (!root) throw new Error("index.html has no #app element");
render(<App />, root);
