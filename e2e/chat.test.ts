// The browser suite: two users chatting, security headers, reload, resume, phone layout.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page, WebSocketRoute } from "playwright-core";
import { describe, expect, test } from "vitest";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const XSS = "<img src=x onerror=alert(1)>";

describe.skipIf(!hasChromium)("Chattr in a browser", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, openGeneral, waitConnected, messageInLog } = suite;

  let alice: Page;
  let bob: Page;
  const aliceName = uniqueName("alice");
  const bobName = uniqueName("bob");

  test("(a) two users chat both ways in real time", async () => {
    [alice, bob] = await Promise.all([openPage(), openPage()]);
    await Promise.all([signUp(alice, aliceName), signUp(bob, bobName)]);
    await Promise.all([openGeneral(alice), openGeneral(bob)]);

    // Enter sends; Shift+Enter is a new line within the same message.
    const composer = alice.getByLabel("Message");
    await composer.fill("Hi Bob!");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("Second line");
    await composer.press("Enter");
    await expect.poll(() => composer.inputValue()).toBe("");
    const fromAlice = messageInLog(bob, "Hi Bob!\nSecond line");
    await fromAlice.waitFor({ timeout: 10_000 });
    const item = bob
      .getByRole("log")
      .getByRole("listitem")
      .filter({ has: bob.getByText("Hi Bob!\nSecond line", { exact: true }) });
    expect(await item.textContent()).toContain(aliceName);
    expect(await item.locator("time").getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);

    await bob.getByLabel("Message").fill("Hello Alice, loud and clear.");
    await bob.getByRole("button", { name: "Send" }).click();
    await messageInLog(alice, "Hello Alice, loud and clear.").waitFor({ timeout: 10_000 });
    // The sender's own copy is confirmed (no longer pending) once the room echoes it.
    await messageInLog(bob, "Hello Alice, loud and clear.").waitFor();
    await expect.poll(() => bob.getByRole("log").getByText("Sending…").count()).toBe(0);

    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("(b) markup in a message is shown as text and never runs", async () => {
    const imageRequests: string[] = [];
    bob.on("request", (request) => {
      if (new URL(request.url()).pathname === "/x") imageRequests.push(request.url());
    });
    await alice.getByLabel("Message").fill(XSS);
    await alice.getByRole("button", { name: "Send" }).click();

    for (const page of [alice, bob]) {
      await messageInLog(page, XSS).waitFor({ timeout: 10_000 });
      expect(await page.getByRole("log").locator("img").count()).toBe(0);
    }
    // Give a would-be onerror handler time to fire before concluding it did not.
    await bob.waitForTimeout(300);
    expect(imageRequests).toEqual([]);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("(c) pages carry the security headers, and a violation would be caught", async () => {
    const page = await openPage();
    for (const path of ["/", "/r/general"]) {
      const response = await page.goto(`${suite.server.url}${path}`);
      const headers = response?.headers() ?? {};
      expect(headers["content-security-policy"]).toContain("default-src 'self'");
      expect(headers["content-security-policy"]).toContain("script-src 'self'");
      expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
      expect(headers["x-content-type-options"]).toBe("nosniff");
      expect(headers["x-frame-options"]).toBe("DENY");
      expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    }
    // A visitor reads a public room, and the read-only room renders under the policy too.
    await page.getByRole("heading", { name: "#general" }).waitFor();
    await page.locator(".composer-locked").getByRole("link", { name: "Log in" }).waitFor();
    await expectNoProblems(page);

    // The check above must be able to fail: an inline style is refused and reported.
    await page.evaluate('document.body.setAttribute("style", "color: red")');
    await expect.poll(() => page.evaluate<number>("window.__cspViolations.length")).toBeGreaterThan(0);
  });

  test("(d) after a reload the user is still signed in and sees the history", async () => {
    await alice.reload();
    await alice.getByRole("heading", { name: "#general" }).waitFor();
    await waitConnected(alice);
    await suite.accountButton(alice).waitFor();
    for (const text of ["Hi Bob!\nSecond line", "Hello Alice, loud and clear.", XSS]) {
      await messageInLog(alice, text).waitFor({ timeout: 10_000 });
    }
    // History and live frames merge without duplicates.
    expect(await messageInLog(alice, "Hello Alice, loud and clear.").count()).toBe(1);
    await expectNoProblems(alice);
  });

  test("a dropped connection shows a banner and resumes without losing messages", async () => {
    // Bob's room socket goes through the test, which can cut it and hold off reconnects.
    let cutOff = false;
    const connections: WebSocketRoute[] = [];
    await bob.routeWebSocket(/\/api\/rooms\/[^/]+\/ws$/, (ws) => {
      if (cutOff) {
        void ws.close();
        return;
      }
      connections.push(ws);
      ws.connectToServer();
    });
    await bob.reload();
    await waitConnected(bob);

    const historyFetches: string[] = [];
    bob.on("request", (request) => {
      if (request.url().includes("/messages")) historyFetches.push(request.url());
    });
    cutOff = true;
    await connections.at(-1)?.close();
    // The bar waits a second, so a blip goes unannounced.
    await expect.poll(() => suite.banner(bob).textContent(), { timeout: 5_000 }).toBe("Reconnecting…");
    await alice.getByLabel("Message").fill("Sent while Bob was away");
    await alice.getByLabel("Message").press("Enter");
    await messageInLog(alice, "Sent while Bob was away").waitFor();

    cutOff = false;
    await waitConnected(bob);
    // Replayed after `hello {lastSeq}`: shown once, in order, after what Bob already had.
    await messageInLog(bob, "Sent while Bob was away").waitFor({ timeout: 10_000 });
    expect(await messageInLog(bob, "Sent while Bob was away").count()).toBe(1);
    expect(historyFetches).toEqual([]);
    const bodies = await bob.getByRole("log").locator(".message-body").allTextContents();
    expect(bodies.slice(-2)).toEqual([XSS, "Sent while Bob was away"]);
    await expectNoProblems(bob);
  });

  test("a new room gets its own shareable address", async () => {
    await bob.getByRole("link", { name: "Browse rooms" }).click();
    await bob.getByLabel("Room name").fill("Book club");
    await bob.getByRole("button", { name: "Create room" }).click();
    await bob.getByRole("heading", { name: "#Book club" }).waitFor();
    const path = new URL(bob.url()).pathname;
    expect(path).toMatch(/^\/r\/[a-z0-9]+$/);
    await waitConnected(bob);

    // Alice opens the link directly.
    await alice.goto(`${suite.server.url}${path}`);
    await alice.getByRole("heading", { name: "#Book club" }).waitFor();
    await waitConnected(alice);
    await alice.getByLabel("Message").fill("First!");
    await alice.getByLabel("Message").press("Enter");
    await messageInLog(bob, "First!").waitFor({ timeout: 10_000 });
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("the chat view fits a phone screen", async () => {
    mkdirSync(RESULTS_DIR, { recursive: true });
    await bob.goto(`${suite.server.url}/r/general`);
    await waitConnected(bob);
    await messageInLog(bob, XSS).waitFor({ timeout: 10_000 });
    await bob.screenshot({ path: join(RESULTS_DIR, "chat-desktop.png") });

    const phone = await openPage({ width: 390, height: 844 });
    await signUp(phone, uniqueName("carol"));
    await openGeneral(phone);
    await messageInLog(phone, XSS).waitFor({ timeout: 10_000 });
    await phone.screenshot({ path: join(RESULTS_DIR, "chat-phone.png") });
    // The members panel is a "Members" drawer on a phone (in the room's menu): it opens on
    // tap, Escape closes it.
    const online = phone.getByRole("complementary", { name: "Members" });
    expect(await online.count()).toBe(0);
    await phone.getByRole("button", { name: "Room menu" }).click();
    await phone.getByRole("menuitem", { name: "Members" }).click();
    await online.getByText(/^Here now · \d+$/).waitFor();
    expect(await online.getByRole("listitem").count()).toBeGreaterThanOrEqual(1);
    await phone.keyboard.press("Escape");
    await expect.poll(() => online.count()).toBe(0);
    for (const width of [390, 360]) {
      await phone.setViewportSize({ width, height: 844 });
      expect(await phone.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(width);
    }
    await expectNoProblems(phone);
  });

  test("(e) log out signs the user out for good", async () => {
    await suite.chooseInAccountMenu(alice, "Log out");
    await alice.getByRole("heading", { name: "Log in to Chattr" }).waitFor();
    await alice.reload();
    await alice.getByRole("button", { name: "Log in" }).waitFor();
    expect(await suite.accountButton(alice).count()).toBe(0);

    // Logging back in works, and a wrong password is explained next to the form.
    await alice.getByLabel("Username").fill(aliceName);
    await alice.getByLabel("Password").fill("not the password");
    await alice.getByRole("button", { name: "Log in" }).click();
    // A log-in hashes a password (argon2id): on a busy machine that takes over poll's 1 s default.
    await expect
      .poll(() => alice.getByRole("alert").textContent(), { timeout: 10_000 })
      .toBe("Wrong username or password.");
    await alice.getByLabel("Password").fill("correct horse battery");
    await alice.getByRole("button", { name: "Log in" }).click();
    await suite.accountButton(alice).waitFor();
    await expectNoProblems(alice);
  });

  test("taken usernames are explained next to the form", async () => {
    const page = await openPage();
    await page.goto(`${suite.server.url}/signup`);
    await page.getByLabel("Username").fill(bobName);
    await page.getByLabel("Password").fill("another password");
    await page.getByRole("button", { name: "Sign up" }).click();
    // Under the field it is about, and announced.
    await page.getByText("That username is taken.").waitFor();
    expect(await page.getByLabel("Username").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("One field needs fixing.");
    await expectNoProblems(page);
  });
});
