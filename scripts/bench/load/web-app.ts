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
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants as zlibConstants } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../../lib/chromium.ts";
import { WebSocket } from "../../lib/ws.ts";
import type { WebAppAccess } from "../systems/types.ts";

export { CHROMIUM };

export const DIST_DIR = fileURLToPath(new URL("../../../dist/web", import.meta.url));
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

/** One step of a page load, in ms since navigation start. */
export interface Span {
  start: number;
  end: number;
}

/** The steps of a page load (absent when a step did not happen). */
export type LoadTimeline = Partial<Record<Step, Span>>;

export type Step =
  | "page"
  | "script"
  | "stylesheet"
  | "domContentLoaded"
  | "me"
  | "roomList"
  | "room"
  | "socket"
  | "hello"
  | "history"
  | "render"
  | "paint";

/** The steps in the order of the app's critical path (the room list is the sidebar's, beside it). */
export const STEPS: readonly Step[] = [
  "page",
  "script",
  "stylesheet",
  "domContentLoaded",
  "me",
  "roomList",
  "room",
  "socket",
  "hello",
  "history",
  "render",
  "paint",
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
  /** Per step, over the measured runs: p50 of its start and end, and percentiles of its duration. */
  steps: Partial<Record<Step, { startP50: number; endP50: number; duration: Percentiles }>>;
  /**
   * Until the messages were in the DOM, how long the page was waiting on a request of its
   * critical path (the union of those steps) and how long it was not (its own work).
   */
  waiting: Percentiles | null;
  working: Percentiles | null;
  /**
   * The critical path's requests from Node instead of a browser, one after the other (the
   * page, its script, /api/session, /api/rooms/:id, the room socket until `ready`, the history):
   * what the server alone costs that path. One per load.
   */
  serverOnly: Percentiles | null;
  /** The machine's 1-minute load average before and after (it is shared: a busy one slows everything). */
  loadAverage: [number, number];
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
        const record = {
          path: new URL(String(url), location.href).pathname,
          created: performance.now(),
          open: null,
          ready: null,
        };
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
    start: r.startTime,
    end: r.responseEnd,
  }));
  const span = (start, end) => ({ start, end });
  return {
    bench,
    page: nav ? span(nav.startTime, nav.responseEnd) : null,
    dcl: nav ? span(nav.domContentLoadedEventStart, nav.domContentLoadedEventEnd) : null,
    resources,
  };
})()`;

interface PageReadout {
  bench: {
    rendered: number | null;
    painted: number | null;
    sockets: { path: string; created: number; open: number | null; ready: number | null }[];
  };
  page: Span | null;
  dcl: Span | null;
  resources: ({ path: string } & Span)[];
}

function toTimeline(readout: PageReadout, roomId: string): LoadTimeline {
  const roomPath = `/api/rooms/${encodeURIComponent(roomId)}`;
  const timeline: LoadTimeline = {};
  const add = (step: Step, start: number | null | undefined, end: number | null | undefined) => {
    if (typeof start === "number" && typeof end === "number") timeline[step] = { start, end };
  };
  const resource = (match: (path: string) => boolean) => {
    const found = readout.resources.find((r) => match(r.path));
    return found;
  };
  add("page", readout.page?.start, readout.page?.end);
  add("domContentLoaded", readout.dcl?.start, readout.dcl?.end);
  const steps: [Step, (path: string) => boolean][] = [
    ["script", (path) => path.startsWith("/assets/") && path.endsWith(".js")],
    ["stylesheet", (path) => path.endsWith(".css")],
    ["me", (path) => path === "/api/session"],
    ["roomList", (path) => path === "/api/rooms"],
    ["room", (path) => path === roomPath],
    ["history", (path) => path === `${roomPath}/messages`],
  ];
  for (const [step, match] of steps) {
    const found = resource(match);
    add(step, found?.start, found?.end);
  }
  const socket = readout.bench.sockets.find((s) => s.path === `${roomPath}/ws`);
  add("socket", socket?.created, socket?.open);
  add("hello", socket?.open, socket?.ready);
  add("render", timeline.history?.end, readout.bench.rendered);
  add("paint", readout.bench.rendered, readout.bench.painted);
  return timeline;
}

/** The bodies a room is seeded with: numbered, about 100 bytes each. */
export function seedBodies(count: number): string[] {
  return Array.from(
    { length: count },
    (_, index) =>
      `Message ${index + 1} of ${count}: the quick brown fox jumps over the lazy dog, then naps in the sun.`,
  );
}

/**
 * One measured page load of the room in a fresh context. `prepare` may change the page
 * before it navigates (experiments: e.g. serve another build's script with `page.route`).
 */
export async function loadOnce(
  browser: Browser,
  access: WebAppAccess,
  roomId: string,
  webCase: WebAppCase,
  expected: number,
  lastBody: string,
  prepare?: (page: Page) => Promise<void>,
): Promise<LoadTimeline> {
  const context = await browser.newContext({ viewport: webCase.viewport });
  try {
    const [name, ...value] = access.cookie.split("=");
    await context.addCookies([{ name: name ?? "", value: value.join("="), url: access.baseUrl }]);
    const page = await context.newPage();
    await prepare?.(page);
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

/**
 * The requests the first screen may wait on. Since the page shows the latest history before
 * it connects, the room socket is on that path only when history failed and the page fell
 * back to connecting first; its spans are cut at the render anyway.
 */
const CRITICAL_REQUESTS: readonly Step[] = [
  "page",
  "script",
  "stylesheet",
  "me",
  "room",
  "socket",
  "hello",
  "history",
];

/** How long, before `until`, at least one critical request was under way (the union of their spans). */
export function waitingOnRequests(run: LoadTimeline, until: number): number {
  const spans = CRITICAL_REQUESTS.flatMap((step) => {
    const span = run[step];
    return span ? [{ start: span.start, end: Math.min(span.end, until) }] : [];
  }).sort((a, b) => a.start - b.start);
  let total = 0;
  let reached = Number.NEGATIVE_INFINITY;
  for (const { start, end } of spans) {
    const from = Math.max(start, reached);
    if (end > from) total += end - from;
    reached = Math.max(reached, end);
  }
  return total;
}

/** The critical path's requests from Node, one after the other: ms from the first request to the history's last byte. */
async function criticalPathFromNode(access: WebAppAccess, roomId: string): Promise<number> {
  const headers = { Cookie: access.cookie, Origin: access.baseUrl };
  const roomPath = `/api/rooms/${encodeURIComponent(roomId)}`;
  const get = async (path: string) => {
    const response = await fetch(`${access.baseUrl}${path}`, { headers });
    const body = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return body;
  };
  const started = performance.now();
  const html = await get(`/r/${encodeURIComponent(roomId)}`);
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (script) await get(script);
  await get("/api/session");
  await get(roomPath);
  const seq = await new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`${access.baseUrl.replace(/^http/, "ws")}${roomPath}/ws`, { headers });
    socket.once("error", reject);
    socket.once("open", () => socket.send(JSON.stringify({ type: "hello" })));
    socket.on("message", (data) => {
      const frame = JSON.parse(String(data)) as { type: string; seq?: number };
      if (frame.type !== "ready") return;
      socket.close();
      resolve(frame.seq ?? 0);
    });
  });
  await get(`${roomPath}/messages?before=${seq + 1}&limit=${LIMITS.defaultPageSize}`);
  return performance.now() - started;
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
    steps: {},
    waiting: null,
    working: null,
    serverOnly: null,
    loadAverage: [loadavg()[0] ?? 0, 0],
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
    const serverOnly: number[] = [];
    for (let run = 0; run < webCase.runs; run++) serverOnly.push(await criticalPathFromNode(access, roomId));
    result.serverOnly = percentiles(serverOnly);
  } finally {
    await browser.close();
    result.loadAverage[1] = loadavg()[0] ?? 0;
  }
  const values = (pick: (run: LoadTimeline) => number | undefined) =>
    result.runs.map(pick).filter((value): value is number => value !== undefined);
  result.firstRender = percentiles(values((run) => run.render?.end));
  result.painted = percentiles(values((run) => run.paint?.end));
  const waits = result.runs.flatMap((run) => {
    const end = run.render?.end;
    return end === undefined ? [] : [{ end, waiting: waitingOnRequests(run, end) }];
  });
  result.waiting = percentiles(waits.map((run) => run.waiting));
  result.working = percentiles(waits.map((run) => run.end - run.waiting));
  for (const step of STEPS) {
    const duration = percentiles(values((run) => run[step] && run[step].end - run[step].start));
    const startP50 = percentiles(values((run) => run[step]?.start))?.p50;
    const endP50 = percentiles(values((run) => run[step]?.end))?.p50;
    if (duration && startP50 !== undefined && endP50 !== undefined)
      result.steps[step] = { startP50, endP50, duration };
  }
  return result;
}
