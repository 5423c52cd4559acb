// Shared set-up for the browser suites: headless Chromium (Debian's, driven by
// playwright-core) against the whole app under `wrangler dev`, with a throwaway database
// and Durable Object storage, plus the page helpers every suite uses.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";
import { CHROMIUM, CHROMIUM_ARGS } from "../scripts/lib/chromium.ts";
import { freePort } from "../scripts/lib/free-port.ts";

export const RESULTS_DIR = resolve(import.meta.dirname, "..", "test-results");
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  const why = `${CHROMIUM} is missing (apt-get install -y chromium): the browser suite cannot run.`;
  // In CI a skipped browser suite would look like a pass: refuse it.
  if (process.env.CI) throw new Error(why);
  console.warn(`\n⚠️  SKIPPING the e2e browser suite: ${why}\n`);
}

/** What a page reported that a user would never want: CSP violations, uncaught errors, dialogs. */
interface PageProblems {
  cspViolations: string[];
  pageErrors: string[];
  dialogs: string[];
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString("hex")}`;
}

export interface BrowserSuite {
  /** The running app (valid inside tests). */
  readonly server: DevServer;
  readonly browser: Browser;
  /** A fresh browser profile (own cookies), with its problems recorded; `options` e.g. `colorScheme`. */
  openPage(
    viewport?: { width: number; height: number },
    options?: Omit<BrowserContextOptions, "viewport">,
  ): Promise<Page>;
  expectNoProblems(page: Page): Promise<void>;
  /** Signs up on the sign-up page and waits for the welcome. */
  signUp(page: Page, username: string): Promise<void>;
  /** From the sidebar (or the welcome), opens #general and waits for its socket. */
  openGeneral(page: Page): Promise<void>;
  /** The room socket has answered `hello` (the connection banner says which state it is in). */
  waitConnected(page: Page): Promise<void>;
  /** A message body in the chat history, matched exactly. */
  messageInLog(page: Page, text: string): ReturnType<Page["getByText"]>;
  /** The connection banner (a status region named "Connection"). */
  banner(page: Page): ReturnType<Page["getByRole"]>;
  /** The account menu's button (the avatar in the app header): there while signed in. */
  accountButton(page: Page): ReturnType<Page["getByRole"]>;
  /** Opens the account menu and chooses an item ("Settings", "Log out", "Dark theme"…). */
  chooseInAccountMenu(page: Page, item: string): Promise<void>;
}

/** Starts the app and a browser for the enclosing `describe` and stops them after it. */
export function browserSuite(): BrowserSuite {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  let persistDir: string | undefined;
  const contexts: BrowserContext[] = [];
  const problems = new Map<Page, PageProblems>();

  beforeAll(async () => {
    persistDir = mkdtempSync(join(tmpdir(), "chattr-e2e-"));
    const dir = persistDir;
    [server, browser] = await Promise.all([
      freePort().then((port) =>
        startDevServer({
          port,
          sessionSecret: randomBytes(32).toString("hex"),
          databaseUrl: process.env.DATABASE_URL,
          throwawayDatabase: true,
          persistTo: dir,
        }),
      ),
      chromium.launch({
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((context) => context.close()));
    await browser?.close();
    await server?.stop();
    if (persistDir) rmSync(persistDir, { recursive: true, force: true });
    if (browser) {
      // CI checks for this file, so a suite that was skipped cannot pass for one that ran.
      mkdirSync(RESULTS_DIR, { recursive: true });
      writeFileSync(join(RESULTS_DIR, "e2e-ran"), `${new Date().toISOString()}\n`);
    }
  });

  const suite: BrowserSuite = {
    get server() {
      if (!server) throw new Error("the dev server is not running");
      return server;
    },
    get browser() {
      if (!browser) throw new Error("the browser is not running");
      return browser;
    },

    async openPage(viewport = { width: 1280, height: 800 }, options = {}) {
      const context = await suite.browser.newContext({ ...options, viewport });
      contexts.push(context);
      const page = await context.newPage();
      const seen: PageProblems = { cspViolations: [], pageErrors: [], dialogs: [] };
      problems.set(page, seen);
      page.on("console", (message) => {
        if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) {
          seen.cspViolations.push(message.text());
        }
      });
      page.on("pageerror", (error) => seen.pageErrors.push(error.message));
      page.on("dialog", (dialog) => {
        seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      // Violations are also events in the page; collect them where evaluate() can read them.
      // (Scripts for the page are strings: this file is compiled without DOM types.)
      await page.addInitScript({
        content: `{
          const store = [];
          Object.defineProperty(window, "__cspViolations", { value: store });
          document.addEventListener("securitypolicyviolation", (event) => {
            store.push(event.violatedDirective + ": " + (event.blockedURI || "inline"));
          });
        }`,
      });
      return page;
    },

    async expectNoProblems(page) {
      const seen = problems.get(page);
      const inPage = await page.evaluate<string[]>("window.__cspViolations");
      expect(inPage).toEqual([]);
      expect(seen?.cspViolations).toEqual([]);
      expect(seen?.pageErrors).toEqual([]);
      expect(seen?.dialogs).toEqual([]);
    },

    async signUp(page, username) {
      await page.goto(`${suite.server.url}/signup`);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill("correct horse battery");
      await page.getByRole("button", { name: "Sign up" }).click();
      // A new account's home: the welcome (no last room yet).
      await page.getByRole("heading", { name: `Welcome, ${username}` }).waitFor();
    },

    async openGeneral(page) {
      // The sidebar's link (the welcome page may list #general too).
      await page.getByRole("link", { name: "general" }).first().click();
      await page.getByRole("heading", { name: "#general" }).waitFor();
      expect(new URL(page.url()).pathname).toBe("/r/general");
      await suite.waitConnected(page);
    },

    async waitConnected(page) {
      await expect
        .poll(() => suite.banner(page).getAttribute("data-connection"), { timeout: 15_000 })
        .toBe("open");
      // The composer is enabled and the history has been loaded or found empty.
      await page.getByLabel("Message").waitFor();
    },

    messageInLog(page, text) {
      return page.getByRole("log").getByText(text, { exact: true });
    },

    banner(page) {
      return page.getByRole("status", { name: "Connection" });
    },

    accountButton(page) {
      return page.getByRole("banner").getByRole("button", { name: "Account" });
    },

    async chooseInAccountMenu(page, item) {
      await suite.accountButton(page).click();
      await page.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: item }).click();
    },
  };
  return suite;
}
