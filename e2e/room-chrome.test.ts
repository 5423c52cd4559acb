// The room's chrome: its header (name, topic, count, actions), the invite dialog, the
// phone's one header row and "⋯" menu, the account menu, and the members panel. Saves
// screenshots of each in both themes at both widths (test-results/screenshots/).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, test } from "vitest";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const PASSWORD = "open sesame";

describe.skipIf(!hasChromium)("the room's chrome", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, accountButton } = suite;
  let alice: Page;
  let bob: Page;
  let roomId = "";
  const roomName = "Book club";
  const [aliceName, bobName, carolName] = [uniqueName("alice"), uniqueName("bob"), uniqueName("carol")];

  beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  /** Screenshots of the page as it is now, in the light and the dark theme. */
  async function shoot(page: Page, name: string) {
    const width = page.viewportSize()?.width ?? DESKTOP.width;
    const size = width <= PHONE.width ? "phone" : "desktop";
    for (const theme of ["light", "dark"] as const) {
      await page.evaluate(`document.documentElement.dataset.theme = ${JSON.stringify(theme)}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${size}-${theme}.png`) });
    }
    await page.evaluate(`document.documentElement.dataset.theme = "light"`);
  }

  const fetchJson = (page: Page, method: string, path: string, body?: unknown) =>
    page.evaluate<{ status: number; body: unknown }>(
      `fetch(${JSON.stringify(path)}, {
        method: ${JSON.stringify(method)},
        headers: { "Content-Type": "application/json" },
        ${body === undefined ? "" : `body: ${JSON.stringify(JSON.stringify(body))},`}
      }).then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }))`,
    );

  const focusedName = (page: Page) =>
    page.evaluate<string | null>(
      "document.activeElement && (document.activeElement.getAttribute('aria-label') || document.activeElement.textContent)",
    );

  const header = (page: Page) => page.locator(".room-header");

  async function openRoom(page: Page) {
    await page.goto(`${suite.server.url}/r/${roomId}`);
    await page.getByRole("heading", { name: `#${roomName}` }).waitFor();
    await waitConnected(page);
  }

  test("the invite link opens a dialog: Copy, Revoke, and Escape or Close close it", async () => {
    alice = await openPage(DESKTOP, { permissions: ["clipboard-read", "clipboard-write"] });
    await signUp(alice, aliceName);
    const created = await fetchJson(alice, "POST", "/api/rooms", {
      name: roomName,
      visibility: "private",
      password: PASSWORD,
    });
    roomId = (created.body as { room: { id: string } }).room.id;
    await openRoom(alice);
    const rowHeight = (await header(alice).boundingBox())?.height ?? 0;
    expect(rowHeight).toBeLessThan(72);
    await shoot(alice, "room-header");

    const inviteButton = alice.getByRole("button", { name: "Invite link" });
    const dialog = alice.getByRole("dialog", { name: `Invite people to ${roomName}` });
    await inviteButton.click();
    const field = dialog.getByRole("textbox", { name: "Invite link" });
    await field.waitFor();
    const url = await field.inputValue();
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    await dialog.getByRole("button", { name: "Copy invite link" }).click();
    await dialog.getByRole("status").filter({ hasText: "Invite link copied." }).waitFor();
    expect(await alice.evaluate<string>("navigator.clipboard.readText()")).toBe(url);
    await shoot(alice, "invite-dialog");

    // Escape closes it, focus goes back to its button, and the header is one row as before.
    await alice.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedName(alice)).toContain("Invite link");
    expect((await header(alice).boundingBox())?.height).toBe(rowHeight);

    // Opened again it shows the same link (no new one each time); Close closes it.
    await inviteButton.click();
    expect(await field.inputValue()).toBe(url);
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });

    // Revoke: the link stops working at once.
    await inviteButton.click();
    await dialog.getByRole("button", { name: "Revoke invite link" }).click();
    await dialog.getByRole("status").filter({ hasText: "revoked" }).waitFor();
    await dialog.getByRole("button", { name: "Make a new link" }).waitFor();
    const token = url.split("/invite/")[1] ?? "";
    expect((await fetchJson(alice, "GET", `/api/invites/${token}`)).status).toBe(404);
    await dialog.getByRole("button", { name: "Close dialog" }).click();
    await dialog.waitFor({ state: "hidden" });

    // On a phone it opens from the room's menu, and closes back to it.
    await alice.setViewportSize(PHONE);
    await alice.getByRole("button", { name: "Room menu" }).click();
    await alice.getByRole("menuitem", { name: "Invite link" }).click();
    await dialog.getByRole("button", { name: "Make a new link" }).click();
    await field.waitFor();
    await shoot(alice, "invite-dialog");
    await alice.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(await focusedName(alice)).toBe("Room menu");
    await alice.setViewportSize(DESKTOP);
    await expectNoProblems(alice);
  });

  test("the owner's topic shows in the header, live for someone already in the room", async () => {
    bob = await openPage(DESKTOP);
    await signUp(bob, bobName);
    expect((await fetchJson(bob, "POST", `/api/rooms/${roomId}/join`, { password: PASSWORD })).status).toBe(
      200,
    );
    await openRoom(bob);
    expect(await bob.getByRole("button", { name: "Set topic" }).count()).toBe(0);

    const topic = "Saturday: chapters 1–3, bring cake 🍰";
    await alice.getByRole("button", { name: "Set topic" }).click();
    const dialog = alice.getByRole("dialog", { name: "Room topic" });
    await dialog.getByLabel("Topic").fill(topic);
    await dialog.getByRole("button", { name: "Save topic" }).click();
    await dialog.waitFor({ state: "hidden" });
    await header(alice).getByText(topic).waitFor();
    // Bob did not reload: the room pushed it.
    await header(bob).getByText(topic).waitFor({ timeout: 5_000 });
    await header(bob).getByText("2 members").waitFor();
    await shoot(bob, "room-header-topic");
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("the members panel lists an offline member with when they were last seen", async () => {
    const carol = await openPage(DESKTOP);
    await signUp(carol, carolName);
    expect((await fetchJson(carol, "POST", `/api/rooms/${roomId}/join`, { password: PASSWORD })).status).toBe(
      200,
    );
    await carol.context().close();

    const panel = alice.getByRole("complementary", { name: "Members" });
    const carolRow = panel.getByRole("listitem").filter({ hasText: carolName });
    await expect
      .poll(
        async () => {
          await openRoom(alice);
          return (await carolRow.textContent({ timeout: 3_000 }).catch(() => "")) ?? "";
        },
        { timeout: 30_000, interval: 1_000 },
      )
      .toMatch(/last seen/);
    // Online first: Alice and Bob are here; Carol is listed under Offline.
    await panel.getByRole("heading", { name: "Online · 2" }).waitFor();
    await panel
      .getByRole("region", { name: "Offline · 1" })
      .getByRole("listitem")
      .filter({ hasText: carolName })
      .waitFor();
    await header(alice).getByText("3 members").waitFor();
    await shoot(alice, "members-panel");

    await alice.setViewportSize(PHONE);
    await alice.getByRole("button", { name: "Room menu" }).click();
    await alice.getByRole("menuitem", { name: "Members" }).click();
    await carolRow.waitFor();
    await shoot(alice, "members-panel");
    await alice.keyboard.press("Escape");
    await panel.waitFor({ state: "hidden" });
    expect(await focusedName(alice)).toBe("Room menu");
    await alice.setViewportSize(DESKTOP);
    await expectNoProblems(alice);
  });

  test("on a phone the room has one header row and the conversation most of the height", async () => {
    await alice.setViewportSize(PHONE);
    await openRoom(alice);
    expect(await alice.locator(".app-header").isVisible()).toBe(false);
    const row = await header(alice).boundingBox();
    expect(row?.height ?? 999).toBeLessThanOrEqual(60);
    // The rooms drawer's button, the name and the one menu button sit side by side.
    const parts = [
      alice.getByRole("button", { name: /Rooms/ }),
      alice.getByRole("heading", { name: `#${roomName}` }),
      alice.getByRole("button", { name: "Room menu" }),
    ];
    for (const part of parts) {
      const box = await part.boundingBox();
      expect(box).not.toBeNull();
      if (box && row) {
        expect(box.y).toBeGreaterThanOrEqual(row.y);
        expect(box.y + box.height).toBeLessThanOrEqual(row.y + row.height + 0.5);
      }
    }
    expect(await alice.locator(".room-actions").isVisible()).toBe(false);
    // The messages get at least 75% of the 740 px: from under the header to the composer.
    const composer = await alice.getByLabel("Message").boundingBox();
    const conversation = (composer?.y ?? 0) - ((row?.y ?? 0) + (row?.height ?? 0));
    expect(conversation).toBeGreaterThanOrEqual(0.75 * PHONE.height);
    // The on-screen keyboard resizes the layout (Chrome on Android), so the composer stays above it.
    expect(await alice.locator('meta[name="viewport"]').getAttribute("content")).toContain(
      "interactive-widget=resizes-content",
    );
    await shoot(alice, "room-header");

    // One menu holds the room's actions and the account's.
    await alice.getByRole("button", { name: "Room menu" }).click();
    const menu = alice.getByRole("menu", { name: "Room menu" });
    for (const item of ["Members", "Invite link", "Set topic", "Settings", "Log out"])
      await menu.getByRole("menuitem", { name: item }).waitFor();
    await menu.getByRole("menuitem", { name: /theme/ }).waitFor();
    await shoot(alice, "overflow-menu");
    await alice.keyboard.press("ArrowDown");
    await alice.keyboard.press("Escape");
    await menu.waitFor({ state: "hidden" });
    expect(await focusedName(alice)).toBe("Room menu");
    await alice.setViewportSize(DESKTOP);
    await expectNoProblems(alice);
  });

  test("theme, Settings and Log out live in the account menu, on every width", async () => {
    const page = await openPage(DESKTOP);
    await signUp(page, uniqueName("dora"));
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      await accountButton(page).click();
      const menu = page.getByRole("menu", { name: "Account" });
      await menu.getByText("Signed in as").waitFor();
      for (const item of ["Settings", "Log out"]) await menu.getByRole("menuitem", { name: item }).waitFor();
      await shoot(page, "user-menu");
      await page.keyboard.press("Escape");
      await menu.waitFor({ state: "hidden" });
      expect(await focusedName(page)).toBe("Account");
    }
    await page.setViewportSize(DESKTOP);
    const before = await page.evaluate<string | undefined>("document.documentElement.dataset.theme");
    await suite.chooseInAccountMenu(page, before === "dark" ? "Light theme" : "Dark theme");
    expect(await page.evaluate<string | undefined>("document.documentElement.dataset.theme")).not.toBe(
      before,
    );
    await suite.chooseInAccountMenu(page, "Log out");
    await page.getByRole("button", { name: "Log in" }).waitFor();
    expect(await accountButton(page).count()).toBe(0);
    await expectNoProblems(page);
  });

  test("a guest's long name truncates beside a whole guest badge", async () => {
    const guest = await openPage(DESKTOP);
    const longName = "Wanderer_with_a_very_long_name";
    await guest.goto(`${suite.server.url}/r/lobby`);
    await guest.getByLabel("Guest name").fill(longName);
    await guest.getByRole("button", { name: "Continue as guest" }).click();
    await waitConnected(guest);
    const row = guest
      .getByRole("complementary", { name: "Members" })
      .getByRole("listitem")
      .filter({ hasText: longName });
    const badge = row.getByText("guest", { exact: true });
    await badge.waitFor();
    const name = row.locator(".member-name");
    expect(await name.getAttribute("title")).toBe(longName);
    const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth);
    const nameHeight = (await name.boundingBox())?.height ?? 99;
    const badgeBox = await badge.boundingBox();
    // One line: the badge is as tall as one line of its text, and its text is whole.
    expect(badgeBox?.height ?? 99).toBeLessThan(20);
    expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth + 0.5)).toBe(true);
    // A name too long for the panel is cut (with an ellipsis, by CSS) on one line, not wrapped.
    expect(cut).toBe(true);
    expect(nameHeight).toBeLessThan(24);
    await expectNoProblems(guest);
  });
});
