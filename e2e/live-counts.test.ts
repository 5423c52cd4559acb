// Counts that are true and live, as a person sees them: a badge appears in the sidebar within
// a second or two of a message (no reload, no 30-second wait), a DM opened by someone else
// appears with its badge, the tab title adds up every room, and a tab signed out elsewhere
// drops the account's rooms and says why.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import {
  befriendByApi,
  changePasswordByApi,
  directRoomByApi,
  logInByApi,
  sendMessages,
  signUpByApi,
  userIdByApi,
} from "./seed.ts";
import { browserSuite, hasChromium, uniqueName } from "./support.ts";

describe.skipIf(!hasChromium)("live counts", () => {
  const suite = browserSuite();

  /** A browser already signed in with `cookie` (a session made over the API). */
  async function signedInPage(cookie: string): Promise<Page> {
    const page = await suite.openPage();
    const [name, value] = cookie.split("=", 2) as [string, string];
    await page.context().addCookies([{ name, value, url: suite.server.url }]);
    return page;
  }

  const roomLink = (page: Page, name: string) =>
    page.getByRole("navigation").getByRole("link", { name: new RegExp(name) });

  test("a message elsewhere raises the badge and the tab title within seconds, and a new DM appears", async () => {
    const base = suite.server.url;
    const [ann, bob, carl] = [uniqueName("ann"), uniqueName("bob"), uniqueName("carl")];
    const [annCookie, bobCookie, carlCookie] = await Promise.all([
      signUpByApi(base, ann),
      signUpByApi(base, bob),
      signUpByApi(base, carl),
    ]);
    const bobId = await userIdByApi(base, bobCookie);
    await befriendByApi(base, annCookie, { cookie: bobCookie, username: bob });
    await befriendByApi(base, carlCookie, { cookie: bobCookie, username: bob });
    const annDm = await directRoomByApi(base, annCookie, bobId);

    const page = await signedInPage(bobCookie);
    await page.goto(`${base}/r/general`);
    await suite.waitConnected(page);
    await roomLink(page, ann).waitFor();
    await expect.poll(() => page.title()).toBe("#general · Chattr");

    await sendMessages(base, annCookie, annDm, ["are you around?", "lunch at 1?"]);
    await roomLink(page, `${ann}.*2 unread`).waitFor({ timeout: 5_000 });
    await expect.poll(() => page.title(), { timeout: 5_000 }).toBe("(2) #general · Chattr");

    // Carl opens a DM Bob's list has never seen: it appears, with its badge.
    const carlDm = await directRoomByApi(base, carlCookie, bobId);
    await sendMessages(base, carlCookie, carlDm, ["hey bob"]);
    await roomLink(page, `${carl}.*1 unread`).waitFor({ timeout: 5_000 });
    await expect.poll(() => page.title(), { timeout: 5_000 }).toBe("(3) #general · Chattr");

    // Reading Ann's DM clears its badge; the title keeps Carl's.
    await roomLink(page, ann).click();
    await suite.messageInLog(page, "lunch at 1?").waitFor();
    await expect.poll(() => page.title(), { timeout: 5_000 }).toMatch(/^\(1\) /);
    await suite.expectNoProblems(page);
  });

  test("signed out by a password change elsewhere: the DM and the drafts go, and it says why", async () => {
    const base = suite.server.url;
    const [ann, bob] = [uniqueName("ann"), uniqueName("bob")];
    const [annCookie, bobCookie] = await Promise.all([signUpByApi(base, ann), signUpByApi(base, bob)]);
    await befriendByApi(base, annCookie, { cookie: bobCookie, username: bob });
    const dm = await directRoomByApi(base, bobCookie, await userIdByApi(base, annCookie));
    await sendMessages(base, annCookie, dm, ["just between us"]);

    const page = await signedInPage(bobCookie);
    await page.goto(`${base}/r/${dm}`);
    await suite.messageInLog(page, "just between us").waitFor();
    await roomLink(page, ann).waitFor();
    // What a draft or a queued message leaves in this browser (web/src/lib/signed-out.ts).
    await page.evaluate(() => localStorage.setItem("chattr:draft:somewhere", "half a thought"));

    await changePasswordByApi(base, await logInByApi(base, bob), "a whole new secret 42");
    await page
      .getByText("You were signed out because your password was changed")
      .waitFor({ timeout: 10_000 });
    await expect.poll(() => roomLink(page, ann).count()).toBe(0);
    await expect.poll(() => page.getByText("just between us").count()).toBe(0);
    const leftovers = await page.evaluate(() =>
      Object.keys(localStorage).filter(
        (key) => key.startsWith("chattr:draft:") || key.startsWith("chattr.outbox"),
      ),
    );
    expect(leftovers).toEqual([]);
  });
});
