// The pages around the conversation: the visitor's landing, the welcome and the way home
// leads back to the last room, separate Log in and Sign up pages (rules first, every
// field's error at once, show password), Browse rooms (filter, join) and Leave room in the
// sidebar, and a direct room that a stranger cannot tell from no room at all. Screenshots
// of each (desktop and phone, light and dark) go to test-results/screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  befriendByApi,
  createRoomByApi,
  directRoomByApi,
  sendMessages,
  signUpByApi,
  userIdByApi,
} from "./seed.ts";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");
const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 360, height: 740 }],
] as const;
const SCHEMES = ["light", "dark"] as const;

describe.skipIf(!hasChromium)("pages", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected } = suite;

  /** A fresh browser signed in with `cookie` (a `name=value` session cookie). */
  async function openSignedIn(
    cookie: string,
    viewport: { width: number; height: number } = { width: 1280, height: 800 },
    colorScheme: "light" | "dark" = "light",
  ): Promise<Page> {
    const page = await openPage(viewport, { colorScheme });
    const [name = "", value = ""] = cookie.split(/=(.*)/s);
    await page.context().addCookies([{ name, value, url: suite.server.url }]);
    return page;
  }

  const sidebar = (page: Page) => page.getByRole("navigation", { name: /^Rooms/ });

  test("a visitor's home says what Chattr is, with Sign up, Continue as guest and Browse public rooms", async () => {
    const page = await openPage();
    await page.goto(suite.server.url);
    await page.getByRole("heading", { level: 1, name: "Talk with your people, live." }).waitFor();
    expect(await page.getByText("Chattr is group chat you open from a link").count()).toBe(1);
    // The landing is the page: no empty sidebar beside it.
    expect(await sidebar(page).count()).toBe(0);
    await page.getByRole("main").getByRole("link", { name: "Browse public rooms" }).click();
    await page.getByRole("heading", { name: "Browse rooms" }).waitFor();
    await page.goBack();
    await page.getByRole("main").getByRole("link", { name: "Sign up" }).click();
    expect(new URL(page.url()).pathname).toBe("/signup");
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    await page.goBack();
    await page.getByLabel("Guest name").fill(uniqueName("visitor"));
    await page.getByRole("button", { name: "Continue as guest" }).click();
    await page.getByRole("heading", { name: "#Lobby" }).waitFor();
    await waitConnected(page);
    await expectNoProblems(page);
  });

  test("the header's Sign up leads to the sign-up page, separate from Log in", async () => {
    const page = await openPage();
    await page.goto(`${suite.server.url}/rooms`);
    await page.getByRole("banner").getByRole("link", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Create your account" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/signup");
    await page.getByRole("link", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Log in to Chattr" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign up" }).count()).toBe(0);
    // Both fields' errors at once on the log-in page too.
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByText("Enter your username.").waitFor();
    await page.getByText("Enter your password.").waitFor();
    await expectNoProblems(page);
  });

  test("sign up shows the rules first, every field's error at once in the same words, and a show-password toggle", async () => {
    const page = await openPage();
    await page.goto(`${suite.server.url}/signup`);
    const usernameHint = "Must be 3–32 characters of a–z, 0–9 and _.";
    const passwordHint =
      "Must be at least 8 characters, must not contain your username, and must not be one of the 10,000 most common passwords.";
    // The rules, before anything went wrong.
    await page.getByText(usernameHint).waitFor();
    await page.getByText(passwordHint).waitFor();

    await page.getByLabel("Username").fill("x!");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    // Both errors at once, each in its hint's words, and each field marked.
    await page.getByText("Username must be 3–32 characters of a–z, 0–9 and _.").waitFor();
    await page.getByText("Password must be at least 8 characters.").waitFor();
    expect(await page.getByLabel("Username").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Password").getAttribute("aria-describedby")).toContain(
      "auth-password-error",
    );
    expect(await page.getByRole("alert").filter({ hasText: "2 fields need fixing." }).count()).toBe(1);
    for (const [device, viewport] of VIEWPORTS) {
      for (const scheme of SCHEMES) {
        await page.setViewportSize(viewport);
        await page.emulateMedia({ colorScheme: scheme });
        await page.screenshot({
          path: join(SCREENSHOTS, `signup-errors-${device}-${scheme}.png`),
          fullPage: true,
        });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    // Show password: a toggle button, its name unchanged, its state in aria-pressed.
    const toggle = page.getByRole("button", { name: "Show password" });
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    expect(await page.getByLabel("Password").getAttribute("type")).toBe("password");
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByLabel("Password").getAttribute("type")).toBe("text");

    // Fixing a field clears its error as you type; the server's own rule (common passwords) lands under the field.
    const name = uniqueName("sigrid");
    await page.getByLabel("Username").fill(name);
    await expect.poll(() => page.getByText("Username must be").count()).toBe(0);
    await page.getByLabel("Password").fill("password123");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("Password is one of the 10,000 most common passwords; choose another.").waitFor();
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: `Welcome, ${name}` }).waitFor();
    await expectNoProblems(page);
  });

  test("home takes a signed-in person back to their last room, unless they cannot open it any more", async () => {
    const owner = await signUpByApi(suite.server.url, uniqueName("owner"));
    const roomId = await createRoomByApi(suite.server.url, owner, "Book club");
    const page = await openPage();
    const name = uniqueName("reader");
    await signUp(page, name);
    // First time: a welcome with recent rooms, not forms.
    await page
      .getByRole("region", { name: "Recent rooms" })
      .getByRole("link", { name: /general/ })
      .waitFor();
    expect(await page.getByRole("button", { name: "Create room" }).count()).toBe(0);

    await page.goto(`${suite.server.url}/r/${roomId}`);
    await page.getByRole("heading", { name: "#Book club" }).waitFor();
    // Asked for from inside the app, home is home: the welcome, not a bounce back.
    await page.getByRole("link", { name: "Chattr" }).click();
    await page.getByRole("heading", { name: `Welcome, ${name}` }).waitFor();
    // Opening the app at home lands in the last room.
    await page.goto(suite.server.url);
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/r/${roomId}`);
    await page.getByRole("heading", { name: "#Book club" }).waitFor();

    // A room deleted since is no place to land: the welcome instead.
    const deleted = await fetch(`${suite.server.url}/api/rooms/${roomId}`, {
      method: "DELETE",
      headers: { Cookie: owner, Origin: suite.server.url, "Content-Type": "application/json" },
      body: "{}",
    });
    expect(deleted.status).toBe(204);
    await page.goto(suite.server.url);
    await page.getByRole("heading", { name: `Welcome, ${name}` }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.evaluate<string | null>("localStorage.getItem('chattr:last-room')")).toBeNull();
    await expectNoProblems(page);
  });

  test("Browse rooms filters public rooms by name and joins one; Leave room takes it out of the sidebar", async () => {
    const seeder = await signUpByApi(suite.server.url, uniqueName("seeder"));
    const tag = uniqueName("t").slice(-6);
    await createRoomByApi(suite.server.url, seeder, `Knitting ${tag}`);
    await createRoomByApi(suite.server.url, seeder, `Chess ${tag}`);
    const page = await openPage();
    await signUp(page, uniqueName("browser"));
    await sidebar(page).getByRole("link", { name: "Browse rooms" }).click();
    await page.getByRole("heading", { name: "Browse rooms" }).waitFor();
    const results = page.getByRole("list", { name: "Public rooms" });
    await results.getByRole("link", { name: `Knitting ${tag}` }).waitFor();

    await page.getByLabel("Filter by name").fill(`chess ${tag}`);
    await expect.poll(() => results.getByRole("link", { name: `Knitting ${tag}` }).count()).toBe(0);
    await results.getByRole("link", { name: `Chess ${tag}` }).waitFor();
    await page.getByRole("button", { name: `Join #Chess ${tag}` }).click();
    await page.getByRole("heading", { name: `#Chess ${tag}` }).waitFor();
    await waitConnected(page);
    await sidebar(page)
      .getByRole("link", { name: `Chess ${tag}` })
      .waitFor();

    // Joined: no longer offered by Browse.
    await page.goto(`${suite.server.url}/rooms`);
    await results.getByRole("link", { name: `Knitting ${tag}` }).waitFor();
    expect(await results.getByRole("link", { name: `Chess ${tag}` }).count()).toBe(0);

    // Leave it from the sidebar: asked first, then gone from the sidebar and back in Browse.
    await sidebar(page)
      .getByRole("button", { name: `Leave #Chess ${tag}` })
      .click();
    await sidebar(page).getByRole("button", { name: "Leave room" }).click();
    await expect
      .poll(() =>
        sidebar(page)
          .getByRole("link", { name: `Chess ${tag}` })
          .count(),
      )
      .toBe(0);
    await page.reload();
    await results.getByRole("link", { name: `Chess ${tag}` }).waitFor();
    // The pinned rooms cannot be left.
    expect(await sidebar(page).getByRole("button", { name: "Leave #general" }).count()).toBe(0);
    await expectNoProblems(page);
  });

  test("a stranger opening someone else's direct-message link sees the page for a room that does not exist", async () => {
    const annName = uniqueName("ann");
    const bobName = uniqueName("bob");
    const ann = await signUpByApi(suite.server.url, annName);
    const bob = await signUpByApi(suite.server.url, bobName);
    await befriendByApi(suite.server.url, ann, { cookie: bob, username: bobName });
    const dm = await directRoomByApi(suite.server.url, ann, await userIdByApi(suite.server.url, bob));
    const eve = await signUpByApi(suite.server.url, uniqueName("eve"));

    const seen = async (page: Page, roomId: string) => {
      await page.goto(`${suite.server.url}/r/${roomId}`);
      await page.getByRole("heading", { name: "Room not found" }).waitFor();
      expect(await page.getByRole("button", { name: /Join/ }).count()).toBe(0);
      expect(await page.getByLabel("Room password").count()).toBe(0);
      return page.getByRole("main").textContent();
    };
    const unknown = "dm-0123456789abcdef0123456789abcdef";
    for (const page of [await openSignedIn(eve), await openPage()]) {
      expect(await seen(page, dm)).toBe(await seen(page, unknown));
      await expectNoProblems(page);
    }
    // And the two of them get in.
    const annPage = await openSignedIn(ann);
    await annPage.goto(`${suite.server.url}/r/${dm}`);
    await annPage.getByRole("heading", { name: `@${bobName}` }).waitFor();
  });

  test("screenshots: landing, welcome, log in, sidebar and browse rooms, desktop and phone, light and dark", async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const friendName = uniqueName("maya");
    const friend = await signUpByApi(suite.server.url, friendName);
    const viewerName = uniqueName("sam");
    const viewer = await signUpByApi(suite.server.url, viewerName);
    await befriendByApi(suite.server.url, friend, { cookie: viewer, username: viewerName });
    const roomId = await createRoomByApi(suite.server.url, viewer, "Weekend plans");
    await createRoomByApi(suite.server.url, friend, "Photography");
    await createRoomByApi(suite.server.url, friend, "Board games night");
    await sendMessages(suite.server.url, friend, roomId, [
      "Anyone up for a hike on Saturday?",
      "Or the lake?",
    ]);
    await directRoomByApi(suite.server.url, viewer, await userIdByApi(suite.server.url, friend));

    for (const [device, viewport] of VIEWPORTS) {
      for (const scheme of SCHEMES) {
        const shot = (page: Page, name: string) =>
          page.screenshot({ path: join(SCREENSHOTS, `${name}-${device}-${scheme}.png`), fullPage: true });

        const visitor = await openPage(viewport, { colorScheme: scheme });
        await visitor.goto(suite.server.url);
        await visitor.getByRole("heading", { name: "Talk with your people, live." }).waitFor();
        await shot(visitor, "landing");
        await visitor.goto(`${suite.server.url}/login`);
        await visitor.getByRole("heading", { name: "Log in to Chattr" }).waitFor();
        await shot(visitor, "login");
        await visitor.goto(`${suite.server.url}/signup`);
        await visitor.getByRole("heading", { name: "Create your account" }).waitFor();
        await shot(visitor, "signup");
        await expectNoProblems(visitor);

        const page = await openSignedIn(viewer, viewport, scheme);
        await page.goto(suite.server.url);
        await page.getByRole("heading", { name: `Welcome, ${viewerName}` }).waitFor();
        await page
          .getByRole("region", { name: "Recent rooms" })
          .getByRole("link", { name: /Weekend plans/ })
          .waitFor();
        await shot(page, "welcome");

        await page.goto(`${suite.server.url}/rooms`);
        await page
          .getByRole("list", { name: "Public rooms" })
          .getByRole("link", { name: "Photography" })
          .waitFor();
        await shot(page, "browse-rooms");

        await page.goto(`${suite.server.url}/r/${roomId}`);
        await waitConnected(page);
        if (device === "phone") await page.getByRole("button", { name: "Rooms and friends" }).click();
        await sidebar(page)
          .getByRole("link", { name: /Weekend plans/ })
          .waitFor();
        await sidebar(page).getByText(friendName).first().waitFor();
        await page.screenshot({ path: join(SCREENSHOTS, `sidebar-${device}-${scheme}.png`) });
        await expectNoProblems(page);
      }
    }
    // Four browsers, three pages each, on a machine shared with the rest of the suite.
  }, 180_000);
});
