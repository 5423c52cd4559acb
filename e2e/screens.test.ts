// Every screen of the app, as visitors, guests and members see it: no axe-core violations
// (WCAG 2.1 AA and best practice) in either theme at desktop and phone widths, with a
// screenshot of each in test-results/screenshots/<screen>-<desktop|phone>-<light|dark>.png.
// One browser, one page per person: the viewport and the theme change in place.
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { createRoomByApi, post, sendMessages, signUpByApi } from "./seed.ts";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

const WIDTHS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 360, height: 740 }],
] as const;
const THEMES = ["light", "dark"] as const;

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** One line per violation and one per element: what a person fixing it needs first. */
function describeViolations(where: string, violations: AxeViolation[]): string {
  const lines = violations.flatMap((violation) => [
    `${where}: ${violation.id} (${violation.impact ?? "?"}): ${violation.help}`,
    ...violation.nodes.map((node) => `    ${node.target.map(String).join(" > ")}`),
  ]);
  return lines.join("\n");
}

/** Waits for the page to lay out and paint after a resize or theme change. */
function settle(page: Page): Promise<void> {
  return page.evaluate(
    "document.fonts.ready.then(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))",
  );
}

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>("typeof window.axe === 'object'"))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate<{ violations: AxeViolation[] }>(
    `axe.run(document, { runOnly: { type: "tag", values: ${JSON.stringify(AXE_TAGS)} }, resultTypes: ["violations"] })`,
  );
  return result.violations;
}

describe.skipIf(!hasChromium)("every screen", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, waitConnected } = suite;
  const url = (path: string) => `${suite.server.url}${path}`;

  /** A browser profile signed in with `cookie` (a `name=value` session cookie from the API). */
  async function pageWithCookie(cookie: string): Promise<Page> {
    const page = await openPage(undefined, { colorScheme: "light", reducedMotion: "reduce" });
    const [name = "", value = ""] = cookie.split("=", 2);
    await page.context().addCookies([{ name, value, url: suite.server.url }]);
    return page;
  }

  async function userId(cookie: string): Promise<string> {
    const response = await fetch(url("/api/me"), { headers: { Cookie: cookie } });
    return ((await response.json()) as { user: { id: string } }).user.id;
  }

  /** Two friends with a DM, a public and a private room with a few messages, an invite, a guest. */
  async function seed() {
    const [annName, benName] = [uniqueName("ann"), uniqueName("ben")];
    const [ann, ben] = await Promise.all([signUpByApi(url(""), annName), signUpByApi(url(""), benName)]);
    const base = url("");
    const publicRoom = await createRoomByApi(base, ann, "Book club");
    const privateResponse = await post(
      base,
      "/api/rooms",
      { name: "Planning", visibility: "private", password: "a private room" },
      ann,
      { "CF-Connecting-IP": "127.2.0.1" },
    );
    const privateRoom = ((await privateResponse.json()) as { room: { id: string } }).room.id;
    const invite = (await (await post(base, `/api/rooms/${privateRoom}/invites`, {}, ann)).json()) as {
      token: string;
    };
    await post(base, "/api/friends/requests", { username: benName }, ann);
    const friends = (await (await fetch(url("/api/friends"), { headers: { Cookie: ben } })).json()) as {
      incoming: { id: string }[];
    };
    await post(base, `/api/friends/requests/${friends.incoming[0]?.id}/accept`, {}, ben);
    const dm = (await (await post(base, `/api/friends/${await userId(ben)}/dm`, {}, ann)).json()) as {
      room: { id: string };
    };
    const guestResponse = await post(base, "/api/auth/guest", { name: "Visiting Val" });
    const guest = /^[^;]+/.exec(guestResponse.headers.get("Set-Cookie") ?? "")?.[0] ?? "";
    await Promise.all([
      sendMessages(base, ann, publicRoom, ["Has everyone finished chapter three?", "No spoilers, please."]),
      sendMessages(base, ben, publicRoom, ["Almost: two pages to go."]),
      sendMessages(base, ann, privateRoom, ["Dates for the trip: the 12th or the 19th?"]),
      sendMessages(base, ann, dm.room.id, ["Lunch tomorrow?"]),
      sendMessages(base, ben, "lobby", ["Hello from the lobby"]),
    ]);
    await sendMessages(base, ben, dm.room.id, ["Yes, at noon."]);
    // A room with more history than a screen holds, for the layout-shift measurement.
    const historyRoom = await createRoomByApi(base, ann, "Long history");
    const lines = (who: string) => Array.from({ length: 25 }, (_, i) => `${who}: line ${i + 1} of the story`);
    await Promise.all([
      sendMessages(base, ann, historyRoom, lines("Ann")),
      sendMessages(base, ben, historyRoom, lines("Ben")),
    ]);
    return {
      ann,
      ben,
      guest,
      benName,
      publicRoom,
      privateRoom,
      dm: dm.room.id,
      invite: invite.token,
      historyRoom,
    };
  }

  type Person = "visitor" | "ann" | "ben" | "guest";
  type Seeded = Awaited<ReturnType<typeof seed>>;
  let seeded: Seeded | undefined;
  const pages = new Map<Person, Page>();
  const consoleErrors: string[] = [];
  const pageOf = (who: Person): Page => {
    const page = pages.get(who);
    if (!page) throw new Error(`no page for ${who}`);
    return page;
  };
  const data = (): Seeded => {
    if (!seeded) throw new Error("not seeded");
    return seeded;
  };

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    seeded = await seed();
    const [visitor, ann, ben, guest] = await Promise.all([
      openPage(undefined, { colorScheme: "light", reducedMotion: "reduce" }),
      pageWithCookie(seeded.ann),
      pageWithCookie(seeded.ben),
      pageWithCookie(seeded.guest),
    ]);
    pages.set("visitor", visitor).set("ann", ann).set("ben", ben).set("guest", guest);
    // A finished screen logs nothing alarming: not even a visitor's session check (a 401 once).
    for (const page of pages.values()) {
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(`${page.url()}: ${message.text()}`);
      });
    }
  });

  const heading = (page: Page, name: string) => page.getByRole("heading", { name, exact: true }).waitFor();
  const inLog = (page: Page, text: string) =>
    page.getByRole("log").getByText(text, { exact: true }).waitFor();
  const room = (name: string, text: string) => async (page: Page) => {
    await heading(page, name);
    await waitConnected(page);
    await inLog(page, text);
  };

  interface Screen {
    name: string;
    who: Person;
    path: (seeded: Seeded) => string;
    ready: (page: Page, seeded: Seeded) => Promise<void>;
  }
  const screens: Screen[] = [
    {
      name: "home-visitor",
      who: "visitor",
      path: () => "/",
      ready: (page) => heading(page, "Talk with your people, live."),
    },
    {
      // Ann has opened no room in this browser yet: her home is the welcome.
      name: "home-signed-in",
      who: "ann",
      path: () => "/",
      ready: async (page) => {
        await page.getByRole("heading", { name: /^Welcome, / }).waitFor();
        await page
          .getByRole("main")
          .getByRole("link", { name: /Book club/ })
          .waitFor();
      },
    },
    {
      name: "login",
      who: "visitor",
      path: () => "/login",
      ready: (page) => heading(page, "Log in to Chattr"),
    },
    {
      name: "signup",
      who: "visitor",
      path: () => "/signup",
      ready: (page) => heading(page, "Create your account"),
    },
    {
      name: "public-room",
      who: "ann",
      path: (s) => `/r/${s.publicRoom}`,
      ready: room("#Book club", "Almost: two pages to go."),
    },
    {
      name: "public-room-visitor",
      who: "visitor",
      path: (s) => `/r/${s.publicRoom}`,
      ready: async (page) => {
        await heading(page, "#Book club");
        await inLog(page, "Almost: two pages to go.");
      },
    },
    {
      name: "lobby-guest",
      who: "guest",
      path: () => "/r/lobby",
      ready: room("#Lobby", "Hello from the lobby"),
    },
    {
      name: "private-room",
      who: "ann",
      path: (s) => `/r/${s.privateRoom}`,
      ready: room("#Planning", "Dates for the trip: the 12th or the 19th?"),
    },
    {
      name: "dm",
      who: "ann",
      path: (s) => `/r/${s.dm}`,
      ready: (page, s) => room(`@${s.benName}`, "Yes, at noon.")(page),
    },
    {
      name: "settings",
      who: "ann",
      path: () => "/settings",
      ready: (page) =>
        page.getByRole("list", { name: "Where you are signed in" }).getByText("this device").waitFor(),
    },
    {
      name: "invite",
      who: "ben",
      path: (s) => `/invite/${s.invite}`,
      ready: (page) => page.getByRole("button", { name: "Join", exact: true }).waitFor(),
    },
  ];

  for (const screen of screens) {
    test(`${screen.name}: no axe violations, light and dark, desktop and phone`, async () => {
      const page = pageOf(screen.who);
      await page.setViewportSize(WIDTHS[0][1]);
      await page.emulateMedia({ colorScheme: "light" });
      await page.goto(url(screen.path(data())));
      await screen.ready(page, data());
      // Every part of the page has loaded (sidebar, friends, members), not only the main one.
      await expect.poll(() => page.locator(".skeleton").count(), { timeout: 15_000 }).toBe(0);
      const failures: string[] = [];
      for (const [device, viewport] of WIDTHS) {
        await page.setViewportSize(viewport);
        for (const theme of THEMES) {
          await page.emulateMedia({ colorScheme: theme });
          await expect.poll(() => page.evaluate("document.documentElement.dataset.theme")).toBe(theme);
          await settle(page);
          const where = `${screen.name}-${device}-${theme}`;
          await page.screenshot({ path: join(SCREENSHOTS, `${where}.png`) });
          const violations = await axeViolations(page);
          if (violations.length > 0) failures.push(describeViolations(where, violations));
        }
      }
      expect(failures.join("\n"), "axe-core violations (rule, impact, help; then each element)").toBe("");
      await expectNoProblems(page);
      expect(consoleErrors.splice(0)).toEqual([]);
    });
  }

  // Layout shift while a room opens (Cumulative Layout Shift, summed over the whole load,
  // which is stricter than the web-vitals session window): a measured bar, not a timing.
  test("a room with history opens with a layout shift under 0.02, member and visitor, desktop and phone", async () => {
    const shifts: string[] = [];
    for (const who of ["member", "visitor"] as const) {
      for (const [device, viewport] of WIDTHS) {
        const page =
          who === "member"
            ? await pageWithCookie(data().ann)
            : await openPage(undefined, { colorScheme: "light", reducedMotion: "reduce" });
        await page.setViewportSize(viewport);
        await page.addInitScript({ content: LAYOUT_SHIFT_RECORDER });
        await page.goto(url(`/r/${data().historyRoom}`));
        await heading(page, "#Long history");
        if (who === "member") await waitConnected(page);
        await inLog(page, "Ben: line 25 of the story");
        await expect.poll(() => page.locator(".skeleton").count(), { timeout: 15_000 }).toBe(0);
        // Late arrivals (presence, receipts, the room list) have a moment to land.
        await page.waitForTimeout(1_000);
        const recorded = await page.evaluate<{ total: number; entries: string[] }>("window.__layoutShifts");
        const line = `${who}, ${device}: ${recorded.total.toFixed(4)}`;
        console.log([`layout shift opening a room, ${line}`, ...recorded.entries].join("\n  "));
        shifts.push([line, ...recorded.entries].join("\n  "));
        expect(recorded.total, shifts.join("\n")).toBeLessThan(0.02);
        await expectNoProblems(page);
        await page.context().close();
      }
    }
  });
});

/** Sums every layout shift not caused by input, with what moved (read when it happened). */
const LAYOUT_SHIFT_RECORDER = `{
  const record = { total: 0, entries: [] };
  Object.defineProperty(window, "__layoutShifts", { value: record });
  const describe = (node) => {
    if (!node || node.nodeType !== 1) return node ? node.nodeName : "(gone)";
    const classes = node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\\s+/).join(".") : "";
    return node.tagName.toLowerCase() + classes;
  };
  const box = (rect) => "(" + [rect.x, rect.y, rect.width, rect.height].map(Math.round).join(",") + ")";
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      record.total += entry.value;
      const sources = (entry.sources || []).map((s) => describe(s.node) + " " + box(s.previousRect) + " → " + box(s.currentRect));
      record.entries.push(entry.value.toFixed(4) + " at " + Math.round(entry.startTime) + " ms: " + sources.join("; "));
    }
  }).observe({ type: "layout-shift", buffered: true });
}`;
