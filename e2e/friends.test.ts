// Friends in the browser: two people befriend each other, see each other come and go
// (with last seen), exchange direct messages, and one invites the other into a private
// room where they chat. Screenshots of the friends panel go to test-results/screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

const SCREENSHOTS = join(RESULTS_DIR, "screenshots");

describe.skipIf(!hasChromium)("friends", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, messageInLog } = suite;

  // Exactly: the welcome page has a "Friends online" region too.
  const friendsPanel = (page: Page) => page.getByRole("region", { name: "Friends", exact: true });
  const friendEntry = (page: Page, username: string) =>
    friendsPanel(page)
      .getByRole("list", { name: "Your friends" })
      .getByRole("listitem")
      .filter({ hasText: username });

  async function send(page: Page, text: string) {
    await page.getByLabel("Message").fill(text);
    await page.keyboard.press("Enter");
    await messageInLog(page, text).waitFor();
  }

  test("befriend, presence with last seen, direct messages, and an invitation into a private room", async () => {
    const annName = uniqueName("ann");
    const bobName = uniqueName("bob");
    const ann = await openPage();
    const bob = await openPage();
    await signUp(ann, annName);
    await signUp(bob, bobName);

    // Ann asks by username; Bob sees it live and accepts.
    await friendsPanel(ann).getByPlaceholder("Username").fill(bobName);
    await friendsPanel(ann).getByRole("button", { name: "Add friend" }).click();
    await friendsPanel(ann).getByText(`Request sent to ${bobName}.`).waitFor();
    const request = friendsPanel(bob)
      .getByRole("listitem")
      .filter({ hasText: `${annName} wants to be friends` });
    // Screen readers hear it arrive (politely).
    await friendsPanel(bob)
      .locator('[aria-live="polite"]')
      .getByText(`${annName} wants to be friends.`)
      .waitFor();
    await request.getByRole("button", { name: "Accept" }).click();

    // Both list each other, online (both pages are open).
    await friendEntry(ann, bobName).getByText("Online").waitFor();
    await friendEntry(bob, annName).getByText("Online").waitFor();

    // Bob leaves: within seconds Ann sees him offline, last seen just now. He comes back.
    await bob.goto("about:blank");
    await friendEntry(ann, bobName).getByText("Last seen just now").waitFor({ timeout: 15_000 });
    await bob.goBack();
    await friendEntry(ann, bobName).getByText("Online").waitFor({ timeout: 15_000 });

    // Direct messages: "Message" opens the same room from both sides.
    await friendEntry(ann, bobName).getByRole("button", { name: "Message" }).click();
    await ann.getByRole("heading", { name: `@${bobName}` }).waitFor();
    await waitConnected(ann);
    await send(ann, "psst, bob");
    await friendEntry(bob, annName).getByRole("button", { name: "Message" }).click();
    await bob.getByRole("heading", { name: `@${annName}` }).waitFor();
    await waitConnected(bob);
    expect(new URL(bob.url()).pathname).toBe(new URL(ann.url()).pathname);
    await messageInLog(bob, "psst, bob").waitFor();
    await send(bob, "hi ann");
    await messageInLog(ann, "hi ann").waitFor();
    // The direct room is listed for both, under the other's name.
    await ann
      .getByRole("navigation")
      .getByRole("link", { name: new RegExp(bobName) })
      .waitFor();

    // Ann makes a private room and invites Bob: one click and he is in, no password.
    await ann.goto(`${suite.server.url}/rooms`);
    const roomName = uniqueName("den");
    await ann.getByLabel("Room name").fill(roomName);
    await ann.getByLabel("Private").check();
    await ann.getByLabel("Room password").fill("nobody guesses this");
    await ann.getByRole("button", { name: "Create room" }).click();
    await ann.getByRole("heading", { name: `#${roomName}` }).waitFor();
    await waitConnected(ann);
    await ann.getByRole("button", { name: "Invite friends" }).click();
    const dialog = ann.getByRole("dialog", { name: `Invite friends to ${roomName}` });
    await dialog.getByRole("button", { name: `Invite ${bobName}` }).click();
    await dialog.getByText("Invited").waitFor();
    await ann.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);

    const invitation = friendsPanel(bob)
      .getByRole("list", { name: "Room invitations" })
      .getByRole("listitem")
      .filter({ hasText: roomName });
    await invitation.getByRole("button", { name: "Accept" }).click();
    await bob.getByRole("heading", { name: `#${roomName}` }).waitFor();
    await waitConnected(bob);
    await send(bob, "thanks for the invite");
    await messageInLog(ann, "thanks for the invite").waitFor();
    await send(ann, "welcome in");
    await messageInLog(bob, "welcome in").waitFor();
    // The invitation is used: it is gone from the panel.
    await expect.poll(() => invitation.count()).toBe(0);

    mkdirSync(SCREENSHOTS, { recursive: true });
    await ann.screenshot({ path: join(SCREENSHOTS, "friends-desktop-light.png") });
    for (const page of [ann, bob]) await expectNoProblems(page);
  });

  test("clear errors for unknown users and oneself; declining removes the request on both sides", async () => {
    const annName = uniqueName("ann");
    const carlName = uniqueName("carl");
    const ann = await openPage();
    const carl = await openPage({ width: 390, height: 844 }, { colorScheme: "dark" });
    await signUp(ann, annName);
    await signUp(carl, carlName);

    const input = friendsPanel(ann).getByPlaceholder("Username");
    const add = friendsPanel(ann).getByRole("button", { name: "Add friend" });
    await input.fill("nobody_is_called_this");
    await add.click();
    await friendsPanel(ann)
      .getByRole("alert")
      .getByText("There is no user called nobody_is_called_this.")
      .waitFor();
    await input.fill(annName);
    await add.click();
    await friendsPanel(ann)
      .getByRole("alert")
      .getByText("You cannot send a friend request to yourself.")
      .waitFor();

    await input.fill(carlName);
    await add.click();
    const sent = friendsPanel(ann).getByRole("list", { name: "Sent requests" }).getByText(carlName);
    await sent.waitFor();

    // On a phone the friends are in the sidebar drawer.
    await carl.getByRole("button", { name: "Friends" }).click();
    const request = friendsPanel(carl)
      .getByRole("listitem")
      .filter({ hasText: `${annName} wants to be friends` });
    await request.getByRole("button", { name: "Decline" }).click();
    await expect.poll(() => request.count()).toBe(0);
    await expect.poll(() => sent.count()).toBe(0);
    await carl.screenshot({ path: join(SCREENSHOTS, "friends-phone-dark.png") });
    expect(
      await carl.evaluate<boolean>(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth",
      ),
    ).toBe(true);
    for (const page of [ann, carl]) await expectNoProblems(page);
  });
});
