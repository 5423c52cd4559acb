// Scenario 6, the web app: how many bytes of JS and CSS it costs (gzip -9 and brotli, file
// by file, from the `vite build` in dist/web), and how long after navigation a signed-in
// user sees a room's latest messages, in headless Chromium (Debian's, driven by
// playwright-core, as in e2e/) against the bench's running Chattr, on loopback.
//
// Each run is a fresh browser context (no cache, no cookies but the session's), so every
// run fetches the page, the script and the stylesheet again; one run before them warms the
// server (workerd compiles the Worker on its first request) and is not counted. Times are
// taken inside the page with `performance.now()`, which counts from the navigation's start
// (performance.timeOrigin): a MutationObserver notes when the last of the room's messages
// is in the DOM, and the next animation frame (when they are painted).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { type Browser, chromium } from "playwright-core";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";
import type { WebAppAccess } from "../systems/types.ts";

export const DIST_DIR = fileURLToPath(new URL("../../../dist/web", import.meta.url));
/** Debian's package by default; CHROMIUM_PATH points elsewhere (as in e2e/support.ts). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** The same switches as the browser suite (e2e/support.ts). */
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
const RUN_TIMEOUT_MS = 15_000;

/** Issue 6's targets for the web app. */
export const WEB_BUDGET_GZIP_BYTES = 60_000;
export const WEB_FIRST_RENDER_TARGET_MS = 500;

export interface WebAppCase {
  /** Messages in the room before it is opened (the app's first history page is 50). */
  messages: number;
  /** Measured page loads (after one uncounted warm-up). */
  runs: number;
  viewport: { width: number; height: number };
}

export interface AssetSize {
  /** Path under dist/web. */
  file: string;
  kind: "js" | "css" | "html";
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
}

export interface WebAppSize {
  /** Every JS, CSS and HTML file of the build, largest first. */
  assets: AssetSize[];
  /** JS and CSS only (the target's measure); the HTML is listed apart. */
  total: { bytes: number; gzipBytes: number; brotliBytes: number };
}

/** Milestones of one page load, in ms since navigation start; null when it did not happen. */
export interface LoadTimeline {
  /** The page's first byte (responseStart). */
  ttfb: number | null;
  domContentLoaded: number | null;
  /** Responses fully received. */
  script: number | null;
  stylesheet: number | null;
  me: number | null;
  room: number | null;
  /** The room socket: opened, then its `ready` frame arrived. */
  socketOpen: number | null;
  socketReady: number | null;
  history: number | null;
  /** The room's last message (and every other expected one) is in the DOM. */
  rendered: number | null;
  /** The start of the next animation frame after that: they are painted with it. */
  painted: number | null;
}

export const MILESTONES: readonly (keyof LoadTimeline)[] = [
  "ttfb",
  "script",
  "stylesheet",
  "domContentLoaded",
  "me",
  "room",
  "socketOpen",
  "socketReady",
  "history",
  "rendered",
  "painted",
];

export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

export interface WebAppResult {
  size: WebAppSize;
  /** Null when the browser could not run (e.g. no Chromium): `skipped` says why. */
  firstRender: Percentiles | null;
  painted: Percentiles | null;
  /** p50 of each milestone over the measured runs. */
  timelineP50: Partial<Record<keyof LoadTimeline, number>>;
  runs: LoadTimeline[];
  /** Messages expected on the first screen (in the DOM at once: one history page). */
  expectedMessages: number;
  skipped: string | null;
}

// ---- size --------------------------------------------------------------------------------

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Sizes of every JS, CSS and HTML file in the build (dist/web), raw, gzip -9 and brotli (quality 11). */
export function measureWebAppSize(distDir = DIST_DIR): WebAppSize {
  if (!existsSync(join(distDir, "index.html")))
    throw new Error(`${distDir} has no build: run \`npx vite build\` (npm run bench does) first`);
  const assets: AssetSize[] = [];
  for (const path of filesUnder(distDir)) {
    const kind = /\.(js|css|html)$/.exec(path)?.[1] as AssetSize["kind"] | undefined;
    if (!kind) continue;
    const content = readFileSync(path);
    assets.push({
      file: relative(distDir, path),
      kind,
      bytes: content.length,
      gzipBytes: gzipSync(content, { level: 9 }).length,
      brotliBytes: brotliCompressSync(content, {
        params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 },
      }).length,
    });
  }
  assets.sort((a, b) => b.gzipBytes - a.gzipBytes);
  const code = assets.filter((asset) => asset.kind !== "html");
  const sum = (key: "bytes" | "gzipBytes" | "brotliBytes") => code.reduce((total, a) => total + a[key], 0);
  return {
    assets,
    total: { bytes: sum("bytes"), gzipBytes: sum("gzipBytes"), brotliBytes: sum("brotliBytes") },
  };
}

// ---- time to the first messages ----------------------------------------------------------

/**
 * Runs in the page before its own scripts (playwright's init scripts are exempt from the
 * CSP). A string: the bench is compiled without DOM types.
 */
function probeScript(expected: number, lastBody: string): string {
  return `{
    const expected = ${expected};
    const lastBody = ${JSON.stringify(lastBody)};
    const bench = { rendered: null, painted: null, sockets: [] };
    bench.done = new Promise((resolve) => { bench.paintedNow = resolve; });
    Object.defineProperty(window, "__bench", { value: bench });
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(url, protocols);
        const record = { path: new URL(String(url), location.href).pathname, open: null, ready: null };
        bench.sockets.push(record);
        this.addEventListener("open", () => { record.open = performance.now(); });
        const onMessage = (event) => {
          if (typeof event.data === "string" && event.data.includes('"type":"ready"')) {
            record.ready = performance.now();
            this.removeEventListener("message", onMessage);
          }
        };
        this.addEventListener("message", onMessage);
      }
    };
    const observer = new MutationObserver(() => {
      const bodies = document.querySelectorAll("li[data-seq] .message-body");
      if (bodies.length < expected || bodies[bodies.length - 1].textContent !== lastBody) return;
      bench.rendered = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => {
        bench.painted = performance.now();
        bench.paintedNow();
      });
    });
    observer.observe(document, { childList: true, subtree: true, characterData: true });
  }`;
}

/** Resolves once the probe saw the messages painted. */
const PAINTED = `new Promise((resolve) => {
  const wait = () => (window.__bench ? window.__bench.done.then(resolve) : setTimeout(wait, 10));
  wait();
})`;

/** Reads the milestones once the messages are painted (a string: see probeScript). */
const READ_TIMELINE = `(() => {
  const bench = window.__bench;
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").map((r) => ({
    path: new URL(r.name).pathname,
    search: new URL(r.name).search,
    end: r.responseEnd,
  }));
  return { bench, ttfb: nav ? nav.responseStart : null, dcl: nav ? nav.domContentLoadedEventEnd : null, resources };
})()`;

interface PageReadout {
  bench: {
    rendered: number | null;
    painted: number | null;
    sockets: { path: string; open: number | null; ready: number | null }[];
  };
  ttfb: number | null;
  dcl: number | null;
  resources: { path: string; search: string; end: number }[];
}

function toTimeline(readout: PageReadout, roomId: string): LoadTimeline {
  const roomPath = `/api/rooms/${encodeURIComponent(roomId)}`;
  const ended = (match: (r: PageReadout["resources"][number]) => boolean) =>
    readout.resources.find(match)?.end ?? null;
  const socket = readout.bench.sockets.find((s) => s.path === `${roomPath}/ws`);
  return {
    ttfb: readout.ttfb,
    domContentLoaded: readout.dcl,
    script: ended((r) => r.path.endsWith(".js") && r.path.startsWith("/assets/")),
    stylesheet: ended((r) => r.path.endsWith(".css")),
    me: ended((r) => r.path === "/api/me"),
    room: ended((r) => r.path === roomPath),
    socketOpen: socket?.open ?? null,
    socketReady: socket?.ready ?? null,
    history: ended((r) => r.path === `${roomPath}/messages`),
    rendered: readout.bench.rendered,
    painted: readout.bench.painted,
  };
}

/** The bodies a room is seeded with: numbered, about 100 bytes each. */
export function seedBodies(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `Message ${index + 1} of ${count}: the quick brown fox jumps over the lazy dog, then naps in the sun.`,
  );
}

async function loadOnce(
  browser: Browser,
  access: WebAppAccess,
  roomId: string,
  webCase: WebAppCase,
  expected: number,
  lastBody: string,
): Promise<LoadTimeline> {
  const context = await browser.newContext({ viewport: webCase.viewport });
  try {
    const [name, ...value] = access.cookie.split("=");
    await context.addCookies([{ name: name ?? "", value: value.join("="), url: access.baseUrl }]);
    const page = await context.newPage();
    await page.addInitScript({ content: probeScript(expected, lastBody) });
    await page.goto(`${access.baseUrl}/r/${encodeURIComponent(roomId)}`, { waitUntil: "commit" });
    // Evaluated as an expression (the page's CSP forbids the eval waitForFunction needs).
    const painted = page.evaluate(PAINTED);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the room's messages were not painted within ${RUN_TIMEOUT_MS} ms`)),
        RUN_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([painted, timeout]);
    } finally {
      clearTimeout(timer);
    }
    return toTimeline(await page.evaluate<PageReadout>(READ_TIMELINE), roomId);
  } finally {
    await context.close();
  }
}

/** Nearest-rank percentiles. */
export function percentiles(values: number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: rank(50), p95: rank(95), max: sorted[sorted.length - 1] ?? 0 };
}

export async function runWebApp(
  access: WebAppAccess,
  webCase: WebAppCase,
  log: (line: string) => void = () => {},
): Promise<WebAppResult> {
  const size = measureWebAppSize();
  const result: WebAppResult = {
    size,
    firstRender: null,
    painted: null,
    timelineP50: {},
    runs: [],
    expectedMessages: Math.min(webCase.messages, LIMITS.defaultPageSize),
    skipped: null,
  };
  if (!existsSync(CHROMIUM)) {
    result.skipped = `${CHROMIUM} is missing (apt-get install -y chromium)`;
    log(`web app: ${result.skipped}; only sizes measured`);
    return result;
  }
  const bodies = seedBodies(webCase.messages);
  const lastBody = bodies.at(-1) ?? "";
  const roomId = await access.seedRoom(bodies);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    await loadOnce(browser, access, roomId, webCase, result.expectedMessages, lastBody); // warm-up, not counted
    for (let run = 0; run < webCase.runs; run++)
      result.runs.push(await loadOnce(browser, access, roomId, webCase, result.expectedMessages, lastBody));
  } finally {
    await browser.close();
  }
  const present = (key: keyof LoadTimeline) =>
    result.runs.map((run) => run[key]).filter((value): value is number => value !== null);
  result.firstRender = percentiles(present("rendered"));
  result.painted = percentiles(present("painted"));
  for (const key of MILESTONES) {
    const p50 = percentiles(present(key))?.p50;
    if (p50 !== undefined) result.timelineP50[key] = p50;
  }
  return result;
}
