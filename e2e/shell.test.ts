// The app shell: themes, layout at phone sizes, drawers, the conversation's grouping,
// dividers, history paging and unread counts, and failed requests with Retry.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { createRoomByApi, sendMessages, signUpByApi } from "./seed.ts";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");
const PHONE = { width: 390, height: 844 };
const SMALL_PHONE = { width: 360, height: 740 };
const LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(12);

/** The visitor's home page (the landing). */
const LANDING = "Talk with your people, live.";

describe.skipIf(!hasChromium)("the app shell", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, messageInLog } = suite;

  const background = (page: Page) =>
    page.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
  const theme = (page: Page) => page.evaluate<string | undefined>("document.documentElement.dataset.theme");
  /** The page is no wider than the window; otherwise says which elements stick out. */
  const fitsWidth = async (page: Page) => {
    const tooWide = await page.evaluate<string[]>(`[...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
      .map((el) => el.tagName + "." + el.className)`);
    expect(tooWide).toEqual([]);
    return page.evaluate<boolean>(
      "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
    );
  };
  const scroller = (page: Page) => page.locator(".message-scroller");
  const scrollTop = (page: Page) => scroller(page).evaluate((el) => el.scrollTop);

  /** Home from a room: the header's "Chattr" on wide screens, the room menu's "All rooms" on a phone. */
  async function goHome(page: Page) {
    const brand = page.getByRole("link", { name: "Chattr" });
    if (await brand.isVisible()) return brand.click();
    await page.getByRole("button", { name: "Room menu" }).click();
    await page.getByRole("menuitem", { name: "All rooms" }).click();
  }

  /** Waits until the clock is not about to turn a minute, so messages sent now share one. */
  async function awayFromMinuteEnd(page: Page) {
    const second = new Date().getSeconds();
    if (second >= 50) await page.waitForTimeout((61 - second) * 1000);
  }

  test("the theme follows the system until chosen, toggles, and is remembered", async () => {
    const dark = await openPage(undefined, { colorScheme: "dark" });
    await dark.goto(suite.server.url);
    await dark.getByRole("heading", { name: LANDING }).waitFor();
    expect(await theme(dark)).toBe("dark");
    const darkBackground = await background(dark);

    const light = await openPage(undefined, { colorScheme: "light" });
    await light.goto(suite.server.url);
    await light.getByRole("heading", { name: LANDING }).waitFor();
    expect(await theme(light)).toBe("light");
    const lightBackground = await background(light);
    expect(lightBackground).not.toBe(darkBackground);

    await light.getByRole("button", { name: "Toggle theme", exact: true }).click();
    expect(await theme(light)).toBe("dark");
    expect(await background(light)).toBe(darkBackground);
    await light.reload();
    await light.getByRole("heading", { name: LANDING }).waitFor();
    expect(await theme(light)).toBe("dark");
    expect(await background(light)).toBe(darkBackground);
    await light.getByRole("button", { name: "Toggle theme", exact: true }).click();
    expect(await background(light)).toBe(lightBackground);
    await expectNoProblems(dark);
    await expectNoProblems(light);
  });

  test("nothing overflows sideways on phones, even with long words and room names", async () => {
    const page = await openPage(PHONE);
    await signUp(page, uniqueName("wide"));
    expect(await fitsWidth(page)).toBe(true);
    const roomName = "Averyveryverylongroomnamewithoutanyspacesatalltotestwrapping1234";
    await page.getByRole("link", { name: "Create a room" }).click();
    await page.getByLabel("Room name").fill(roomName);
    await page.getByRole("button", { name: "Create room" }).click();
    await page.getByRole("heading", { name: `#${roomName}` }).waitFor();
    await waitConnected(page);
    await page.getByLabel("Message").fill(LONG_WORD);
    await page.getByLabel("Message").press("Enter");
    await messageInLog(page, LONG_WORD).waitFor();
    for (const size of [PHONE, SMALL_PHONE]) {
      await page.setViewportSize(size);
      expect(await fitsWidth(page)).toBe(true);
      await page.goto(`${suite.server.url}/rooms`);
      await page.getByRole("heading", { name: "Browse rooms" }).waitFor();
      expect(await fitsWidth(page)).toBe(true);
      await page.goBack();
      await messageInLog(page, LONG_WORD).waitFor();
    }
    await expectNoProblems(page);
  });

  test("on a phone, rooms and members open as drawers and close with Escape or the backdrop", async () => {
    const page = await openPage(PHONE);
    await signUp(page, uniqueName("drawer"));
    await page.getByRole("link", { name: "general" }).click();
    await waitConnected(page);

    const roomsButton = page.getByRole("button", { name: "Rooms" });
    const rooms = page.getByRole("navigation", { name: "Rooms" });
    expect(await rooms.count()).toBe(0);
    await roomsButton.click();
    await rooms.getByRole("link", { name: /Lobby/ }).waitFor();
    expect(await roomsButton.getAttribute("aria-expanded")).toBe("true");
    await page.keyboard.press("Escape");
    await expect.poll(() => rooms.count()).toBe(0);
    expect(await page.evaluate<string | null>("document.activeElement.getAttribute('aria-controls')")).toBe(
      "sidebar",
    );

    const members = page.getByRole("complementary", { name: "Members" });
    // On a phone the room's actions, Members among them, are in its one menu.
    await page.getByRole("button", { name: "Room menu" }).click();
    await page.getByRole("menuitem", { name: "Members" }).click();
    await members.getByRole("listitem").first().waitFor();
    // The backdrop covers what the drawer (on the right) does not.
    await page.mouse.click(20, PHONE.height / 2);
    await expect.poll(() => members.count()).toBe(0);

    // A room link in the drawer opens the room and closes the drawer.
    await roomsButton.click();
    await rooms.getByRole("link", { name: /Lobby/ }).click();
    await page.getByRole("heading", { name: "#Lobby" }).waitFor();
    await expect.poll(() => rooms.count()).toBe(0);
    await expectNoProblems(page);
  });

  test("messages group by author within five minutes, and a New messages line marks what is unread", async () => {
    const [alice, bob] = await Promise.all([openPage(), openPage()]);
    const [aliceName, bobName] = [uniqueName("ann"), uniqueName("ben")];
    await Promise.all([signUp(alice, aliceName), signUp(bob, bobName)]);
    await alice.getByRole("link", { name: "Create a room" }).click();
    await alice.getByLabel("Room name").fill("Grouping");
    await alice.getByRole("button", { name: "Create room" }).click();
    await alice.getByRole("heading", { name: "#Grouping" }).waitFor();
    await waitConnected(alice);
    await awayFromMinuteEnd(alice);
    // Enter sends; Shift+Enter is a new line.
    const composer = alice.getByLabel("Message");
    await composer.fill("Read before");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("on two lines");
    await composer.press("Enter");
    await messageInLog(alice, "Read before\non two lines").waitFor();

    await bob.goto(alice.url());
    await waitConnected(bob);
    await messageInLog(bob, "Read before\non two lines").waitFor();
    // Alice leaves for another page (home would lead back to the room); Bob writes three messages in a row.
    await alice.getByRole("link", { name: "Browse rooms" }).click();
    await alice.getByRole("heading", { name: "Browse rooms" }).waitFor();
    await awayFromMinuteEnd(bob);
    for (const text of ["One", "Two", "Three"]) {
      await bob.getByLabel("Message").fill(text);
      await bob.getByLabel("Message").press("Enter");
      await messageInLog(bob, text).waitFor();
    }
    await expect.poll(() => bob.getByRole("log").getByText("Sending…").count()).toBe(0);

    await alice.getByRole("link", { name: /Grouping/ }).click();
    await waitConnected(alice);
    await messageInLog(alice, "Three").waitFor();
    const log = alice.getByRole("log");
    await log.getByRole("heading", { name: "Today" }).waitFor();
    const entries = await log
      .locator(":scope > ol > li")
      .evaluateAll((items) =>
        items.map((li) =>
          li.classList.contains("divider")
            ? `[${li.textContent}]`
            : `${li.querySelector(".message-body")?.textContent}${li.classList.contains("is-continued") ? "" : "*"}`,
        ),
      );
    expect(entries).toEqual([
      "[Today]",
      "Read before\non two lines*",
      "[New messages]",
      "One*",
      "Two",
      "Three",
    ]);
    // Grouped messages keep their author for screen readers.
    const two = log.getByRole("listitem").filter({ has: alice.getByText("Two", { exact: true }) });
    expect(await two.textContent()).toContain(bobName);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("older history loads on scrolling up without moving what is on screen", async () => {
    // Two writers in parallel halve the time the flood limit imposes.
    const [first, second] = await Promise.all(
      ["seed", "seed"].map((prefix) => signUpByApi(suite.server.url, uniqueName(prefix))),
    );
    if (!first || !second) throw new Error("no seeding accounts");
    const roomId = await createRoomByApi(suite.server.url, first, "History");
    const bodies = (writer: string) => Array.from({ length: 65 }, (_, i) => `${writer} ${i + 1}`);
    await Promise.all([
      sendMessages(suite.server.url, first, roomId, bodies("Ann")),
      sendMessages(suite.server.url, second, roomId, bodies("Bea")),
    ]);

    const page = await openPage();
    await signUp(page, uniqueName("reader"));
    await page.goto(`${suite.server.url}/r/${roomId}`);
    await waitConnected(page);
    await messageInLog(page, "Ann 65").waitFor({ timeout: 10_000 });
    const held = page.getByRole("log").locator("li[data-seq]");
    expect(await held.count()).toBe(50);

    // Scroll up as a reader would; the message on screen stays where it was while the
    // next page is put above it.
    const onScreen = page.getByRole("log").locator('li[data-seq="85"]');
    await scroller(page).evaluate((el) => {
      el.scrollTop = 600;
    });
    const before = await onScreen.evaluate((el) => el.getBoundingClientRect().top);
    await scroller(page).evaluate((el) => {
      el.scrollTop = 300;
    });
    await expect.poll(() => held.count()).toBe(100);
    const after = await onScreen.evaluate((el) => el.getBoundingClientRect().top);
    expect(Math.abs(after - (before + 300))).toBeLessThanOrEqual(2);

    // All the way up: every message once, in order.
    for (let i = 0; i < 5 && (await held.count()) < 130; i++) {
      await scroller(page).evaluate((el) => {
        el.scrollTop = 0;
      });
      await page.waitForTimeout(300);
    }
    await expect.poll(() => held.count()).toBe(130);
    const seqs = await held.evaluateAll((items) => items.map((li) => Number(li.getAttribute("data-seq"))));
    expect(seqs).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
    const shown = await page.getByRole("log").locator(".message-body").allTextContents();
    expect(shown.sort()).toEqual([...bodies("Ann"), ...bodies("Bea")].sort());
    await expectNoProblems(page);
  });

  test("scrolled up, new messages wait behind a Jump to latest button and count in the title", async () => {
    const writerName = uniqueName("writer");
    const cookie = await signUpByApi(suite.server.url, writerName);
    const roomId = await createRoomByApi(suite.server.url, cookie, "Busy");
    await sendMessages(
      suite.server.url,
      cookie,
      roomId,
      Array.from({ length: 40 }, (_, i) => `Earlier ${i + 1}`),
    );

    const page = await openPage();
    await signUp(page, uniqueName("watcher"));
    await page.goto(`${suite.server.url}/r/${roomId}`);
    await waitConnected(page);
    await messageInLog(page, "Earlier 40").waitFor();
    await expect.poll(() => page.title()).toBe("#Busy · Chattr");

    // At the bottom, a new message is followed and read at once.
    await sendMessages(suite.server.url, cookie, roomId, ["While at the bottom"]);
    await messageInLog(page, "While at the bottom").waitFor();
    await expect.poll(() => page.title()).toBe("#Busy · Chattr");

    // A hidden tab reads nothing: the count shows until the tab is visible again.
    const setVisibility = (state: "hidden" | "visible") =>
      page.evaluate(`Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "${state}" });
        document.dispatchEvent(new Event("visibilitychange"));`);
    await setVisibility("hidden");
    await sendMessages(suite.server.url, cookie, roomId, ["While away"]);
    await messageInLog(page, "While away").waitFor();
    await expect.poll(() => page.title()).toBe("(1) #Busy · Chattr");
    await setVisibility("visible");
    await expect.poll(() => page.title()).toBe("#Busy · Chattr");

    await scroller(page).evaluate((el) => {
      el.scrollTop = 200;
    });
    const jump = page.getByRole("button", { name: /Jump to latest/ });
    await jump.waitFor();
    await sendMessages(suite.server.url, cookie, roomId, ["Missed one", "Missed two"]);
    await messageInLog(page, "Missed two").waitFor({ state: "attached" });
    expect(await scrollTop(page)).toBe(200);
    await expect.poll(() => page.title()).toBe("(2) #Busy · Chattr");
    await expect.poll(() => jump.textContent()).toContain("2 new");
    // Screen readers hear the newest message once, from a polite live region.
    const announced = page.locator("[aria-live='polite'][aria-atomic='true']");
    expect(await announced.textContent()).toContain(`${writerName}: Missed two`);

    await jump.click();
    await expect.poll(() => page.title()).toBe("#Busy · Chattr");
    await expect.poll(() => jump.count()).toBe(0);
    await expectNoProblems(page);
  });

  test("a failed request says so and offers Retry", async () => {
    const page = await openPage();
    let fail = true;
    await page.route("**/api/rooms", (route) =>
      fail
        ? route.fulfill({ status: 500, json: { error: { code: "boom", message: "The server broke." } } })
        : route.continue(),
    );
    await page.goto(`${suite.server.url}/r/general`);
    const alert = page.getByRole("alert").filter({ hasText: "The server broke." });
    await alert.waitFor();
    fail = false;
    await alert.getByRole("button", { name: "Retry" }).click();
    await page.getByRole("link", { name: "general" }).waitFor();
    expect(await alert.count()).toBe(0);
  });

  test("screenshots: desktop and phone, light and dark", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const cookie = await signUpByApi(suite.server.url, uniqueName("poster"));
    const roomId = await createRoomByApi(suite.server.url, cookie, "Showcase");
    await sendMessages(suite.server.url, cookie, roomId, [
      "Welcome to the showcase room!",
      "Messages from one person within a minute are grouped.",
      LONG_WORD.slice(0, 120),
    ]);
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [device, viewport] of [
        ["desktop", { width: 1280, height: 800 }],
        ["phone", PHONE],
      ] as const) {
        const page = await openPage(viewport, { colorScheme });
        await signUp(page, uniqueName("viewer"));
        await page.goto(`${suite.server.url}/r/${roomId}`);
        await waitConnected(page);
        const text = `Looks good on a ${device} in ${colorScheme}`;
        await page.getByLabel("Message").fill(text);
        await page.getByLabel("Message").press("Enter");
        await messageInLog(page, text).waitFor();
        expect(await theme(page)).toBe(colorScheme);
        await page.screenshot({ path: join(SCREENSHOTS, `room-${device}-${colorScheme}.png`) });
        // Home, asked for from inside the app, is home (the welcome), not the last room.
        await goHome(page);
        await page
          .getByRole("main")
          .getByRole("link", { name: /Showcase/ })
          .waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, `home-${device}-${colorScheme}.png`) });
        await page.goto(`${suite.server.url}/settings`);
        await page.getByRole("list", { name: "Where you are signed in" }).getByText("this device").waitFor();
        await page.screenshot({
          path: join(SCREENSHOTS, `settings-${device}-${colorScheme}.png`),
          fullPage: true,
        });
        await expectNoProblems(page);
      }
    }
  });
});
