// The conversation column in a browser: messages as grouped rows with avatars, links that
// are real anchors, receipts on one message (a direct room's last, a group's "Seen by"),
// the composer (Enter, Shift+Enter, growing, drafts), the Reconnecting bar, and what an
// empty room tells a visitor. Saves screenshots of a room and a direct room, both themes,
// both widths, to test-results/screenshots/conversation-{room,dm}-<device>-<theme>.png.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page, WebSocketRoute } from "playwright-core";
import { describe, expect, test } from "vitest";
import { createRoomByApi, sendMessages, signUpByApi } from "./seed.ts";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const LONG_LINK =
  "https://example.com/a/very/long/path/that/keeps/going/and/going/and/going/without/a/single/break/to/test/wrapping?q=1";

/** Calls the API from inside the page (its cookie, its origin), as the app does. */
async function apiFrom<T>(page: Page, method: string, path: string, body: unknown = {}): Promise<T> {
  return page.evaluate<T>(
    `fetch(${JSON.stringify(path)}, {
      method: ${JSON.stringify(method)},
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: ${JSON.stringify(JSON.stringify(body))},
    }).then((r) => r.json())`,
  );
}

/** A computed style of the element, read in the page (this file has no DOM types). */
function styleOf(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((el, name) => {
    const view = globalThis as unknown as {
      getComputedStyle(e: unknown): Record<string, string | undefined>;
    };
    return view.getComputedStyle(el)[name] ?? "";
  }, property);
}

describe.skipIf(!hasChromium)("the conversation", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, messageInLog } = suite;

  let alice: Page;
  let bob: Page;
  let roomId = "";
  const aliceName = uniqueName("alice");
  const bobName = uniqueName("bob");
  const carolName = uniqueName("carol");

  const log = (page: Page) => page.getByRole("log");
  const row = (page: Page, body: string) =>
    log(page)
      .getByRole("listitem")
      .filter({ has: page.getByText(body, { exact: true }) });

  async function send(page: Page, text: string): Promise<void> {
    await page.getByLabel("Message").fill(text);
    await page.getByLabel("Message").press("Enter");
    await messageInLog(page, text).waitFor({ timeout: 10_000 });
  }

  /** Screenshots `page` as it is now, reloaded in each theme and at each width. */
  async function screenshots(page: Page, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const colorScheme of ["light", "dark"] as const) {
      for (const [device, viewport] of [
        ["desktop", DESKTOP],
        ["phone", PHONE],
      ] as const) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize(viewport);
        await page.reload();
        await waitConnected(page);
        expect(await page.evaluate<string | undefined>("document.documentElement.dataset.theme")).toBe(
          colorScheme,
        );
        // No sideways scrolling at any width, whatever the messages hold.
        expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
          viewport.width,
        );
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${device}-${colorScheme}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize(DESKTOP);
  }

  test("messages are left-aligned rows, grouped by author, with avatars and real links", async () => {
    const carol = await signUpByApi(suite.server.url, carolName);
    roomId = await createRoomByApi(suite.server.url, carol, "Conversation");
    await sendMessages(suite.server.url, carol, roomId, [
      "Hi both 👋🎉 — emoji render in colour",
      "A second message, under the same header",
      `Docs at ${LONG_LINK} or mail ann@example.net.`,
      "javascript:alert(1) is not a link",
    ]);
    [alice, bob] = await Promise.all([openPage(), openPage()]);
    await Promise.all([signUp(alice, aliceName), signUp(bob, bobName)]);
    await alice.goto(`${suite.server.url}/r/${roomId}`);
    await waitConnected(alice);
    await messageInLog(alice, "javascript:alert(1) is not a link").waitFor();

    // One header (avatar, name, time) for Carol's run; the rest continue under it.
    const carolRows = log(alice).getByRole("listitem").filter({ hasText: carolName });
    expect(await carolRows.count()).toBe(4);
    expect(await log(alice).locator(".message-author").filter({ hasText: carolName }).count()).toBe(1);
    expect(await log(alice).locator(".message.starts-group .avatar").count()).toBe(1);
    const continued = row(alice, "A second message, under the same header");
    expect(await continued.getAttribute("class")).toContain("is-continued");
    // A continued row shows its time on hover.
    const hoverTime = continued.locator("time");
    expect(await styleOf(hoverTime, "opacity")).toBe("0");
    await continued.hover();
    await expect.poll(() => styleOf(hoverTime, "opacity")).toBe("1");
    expect(await hoverTime.getAttribute("datetime")).toMatch(/^\d{4}-\d\d-\d\dT/);

    // Links are anchors into a new tab that hand nothing over; other schemes stay text.
    const link = log(alice).getByRole("link", { name: LONG_LINK });
    expect(await link.getAttribute("href")).toBe(LONG_LINK);
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toBe("noopener noreferrer nofollow");
    expect(await log(alice).getByRole("link", { name: "ann@example.net" }).getAttribute("href")).toBe(
      "mailto:ann@example.net",
    );
    expect(await row(alice, "javascript:alert(1) is not a link").getByRole("link").count()).toBe(0);
    // The long address wraps inside the column.
    const [linkBox, logBox] = await Promise.all([link.boundingBox(), log(alice).boundingBox()]);
    expect((linkBox?.x ?? 0) + (linkBox?.width ?? 0)).toBeLessThanOrEqual(
      (logBox?.x ?? 0) + (logBox?.width ?? 0),
    );

    // My own message is a row like everyone's: same left edge, with my avatar and name.
    await send(alice, "My own message, left-aligned");
    // (Polled: the row is replaced when the room confirms it.)
    const leftEdge = async (body: string) => (await row(alice, body).boundingBox())?.x;
    const theirs = await leftEdge("Hi both 👋🎉 — emoji render in colour");
    expect(theirs).toEqual(expect.any(Number));
    await expect.poll(() => leftEdge("My own message, left-aligned")).toBe(theirs);
    expect(await row(alice, "My own message, left-aligned").locator(".avatar").count()).toBe(1);
    // Emoji fonts are in the body's font stack.
    expect(
      await styleOf(row(alice, "My own message, left-aligned").locator(".message-body"), "fontFamily"),
    ).toMatch(/Apple Color Emoji.*Segoe UI Emoji.*Noto Color Emoji/);
    await expectNoProblems(alice);
  });

  test("in a group, one 'Seen by N' replaces a label per message", async () => {
    await bob.goto(`${suite.server.url}/r/${roomId}`);
    await waitConnected(bob);
    await send(alice, "Anyone there?");
    const seen = row(alice, "Anyone there?").getByRole("button", { name: "Seen by 1" });
    await seen.waitFor({ timeout: 10_000 });
    expect(await seen.getAttribute("title")).toBe(bobName);
    // The earlier message of mine no longer carries anything.
    expect(await log(alice).locator(".message-status").count()).toBe(1);
    await seen.click();
    expect(await row(alice, "Anyone there?").getByRole("list", { name: "Seen by" }).textContent()).toContain(
      bobName,
    );
    await screenshots(alice, "conversation-room");
    await expectNoProblems(alice);
  });

  test("the composer: Enter sends, Shift+Enter adds a line, it grows, and keeps a draft per room", async () => {
    const composer = alice.getByLabel("Message");
    await composer.fill("");
    const oneLine = (await composer.boundingBox())?.height ?? 0;
    await composer.pressSequentially("line one");
    await composer.press("Shift+Enter");
    await composer.pressSequentially("line two");
    expect(await composer.inputValue()).toBe("line one\nline two");
    expect(await messageInLog(alice, "line one\nline two").count()).toBe(0);
    const twoLines = (await composer.boundingBox())?.height ?? 0;
    expect(twoLines).toBeGreaterThan(oneLine + 10);

    // Many lines: it stops at 40% of the window and scrolls inside.
    await composer.fill(Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n"));
    const tall = (await composer.boundingBox())?.height ?? 0;
    expect(tall).toBeLessThanOrEqual(DESKTOP.height * 0.4 + 1);
    expect(tall).toBeGreaterThan(DESKTOP.height * 0.3);

    await composer.fill("line one\nline two");
    await composer.press("Enter");
    await messageInLog(alice, "line one\nline two").waitFor({ timeout: 10_000 });
    expect(await composer.inputValue()).toBe("");
    await expect
      .poll(async () => (await composer.boundingBox())?.height ?? 0)
      .toBeLessThanOrEqual(oneLine + 1);

    // A draft stays with its room across a visit elsewhere and a reload.
    await composer.fill("half a thought");
    await alice.goto(`${suite.server.url}/r/general`);
    await waitConnected(alice);
    expect(await alice.getByLabel("Message").inputValue()).toBe("");
    await alice.goto(`${suite.server.url}/r/${roomId}`);
    await waitConnected(alice);
    expect(await alice.getByLabel("Message").inputValue()).toBe("half a thought");
    expect(await alice.evaluate<string | null>(`localStorage.getItem("chattr:draft:${roomId}")`)).toBe(
      "half a thought",
    );
    await alice.getByLabel("Message").fill("");
    expect(await alice.evaluate<string | null>(`localStorage.getItem("chattr:draft:${roomId}")`)).toBeNull();
    await expectNoProblems(alice);
  });

  test("a dropped connection: nothing for a second, then Reconnecting…, then Back online", async () => {
    let cutOff = false;
    const sockets: WebSocketRoute[] = [];
    await alice.routeWebSocket(/\/api\/rooms\/[^/]+\/ws$/, (ws) => {
      if (cutOff) {
        void ws.close();
        return;
      }
      sockets.push(ws);
      ws.connectToServer();
    });
    await alice.reload();
    await waitConnected(alice);
    const banner = suite.banner(alice);

    cutOff = true;
    await sockets.at(-1)?.close();
    await expect.poll(() => banner.getAttribute("data-connection")).not.toBe("open");
    expect(await banner.textContent()).toBe("");
    await expect.poll(() => banner.textContent(), { timeout: 5_000 }).toBe("Reconnecting…");
    await alice.getByLabel("Message").fill("Written while away");
    await alice.getByLabel("Message").press("Enter");
    await expect
      .poll(() => row(alice, "Written while away").locator(".message-status").textContent())
      .toBe("Waiting for connection");

    cutOff = false;
    await expect.poll(() => banner.textContent(), { timeout: 15_000 }).toBe("Back online");
    await messageInLog(bob, "Written while away").waitFor({ timeout: 10_000 });
    await expect.poll(() => banner.textContent(), { timeout: 5_000 }).toBe("");
    await expectNoProblems(alice);
  });

  test("a direct room: Sent, Delivered or Read on my last message only", async () => {
    // Friends at once (each asked the other), then their direct room.
    await apiFrom(alice, "POST", "/api/friends/requests", { username: bobName });
    const accepted = await apiFrom<{ friend?: { id: string } }>(bob, "POST", "/api/friends/requests", {
      username: aliceName,
    });
    const aliceId = accepted.friend?.id ?? "";
    expect(aliceId).not.toBe("");
    const { room } = await apiFrom<{ room: { id: string } }>(bob, "POST", `/api/friends/${aliceId}/dm`);
    await bob.goto("about:blank");

    await alice.goto(`${suite.server.url}/r/${room.id}`);
    await waitConnected(alice);
    // Empty: who can see it, and what to do.
    await alice.getByText(`This is the start of your conversation with ${bobName}`).waitFor();
    await alice.getByText(`Only you and ${bobName} can see this conversation.`).waitFor();

    for (const body of ["First thing", "Second thing", "Third thing"]) await send(alice, body);
    const last = row(alice, "Third thing").locator(".message-status");
    await expect.poll(() => last.textContent(), { timeout: 10_000 }).toBe("Sent");
    expect(await log(alice).locator(".message-status").count()).toBe(1);

    await bob.goto(`${suite.server.url}/r/${room.id}`);
    await waitConnected(bob);
    await send(bob, "Got them all 👍");
    await expect.poll(() => last.textContent(), { timeout: 10_000 }).toBe("Read");
    expect(await log(alice).locator(".message-status").count()).toBe(1);
    // Receipts are drawn, never emoji or tick characters.
    expect(await last.locator("svg").count()).toBe(1);
    expect(await last.textContent()).not.toMatch(/[✓🕓]/u);
    await screenshots(alice, "conversation-dm");
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("a visitor in an empty room is told how to join, not to say hello", async () => {
    const owner = await signUpByApi(suite.server.url, uniqueName("owner"));
    const quiet = await createRoomByApi(suite.server.url, owner, "Quiet");
    const visitor = await openPage();
    await visitor.goto(`${suite.server.url}/r/${quiet}`);
    // (Not waitConnected: a visitor has no composer.)
    await expect
      .poll(() => suite.banner(visitor).getAttribute("data-connection"), { timeout: 15_000 })
      .toBe("open");
    await visitor.getByText("To join the conversation, sign up or log in.").waitFor({ timeout: 10_000 });
    await visitor.getByText("This room is public: anyone with its link can read it.").waitFor();
    expect(await visitor.getByText(/say hello/i).count()).toBe(0);
    await visitor.locator(".composer-locked").getByRole("link", { name: "Sign up" }).waitFor();
    await expectNoProblems(visitor);
  });
});
