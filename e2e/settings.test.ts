// The browser suite for account settings and invites: a password change signs out the
// account's other sessions, an invite link lets another user into a private room, and
// deleting the room from Settings tells the people inside; the owner can also remove members
// and revoke invite links there.
import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { browserSuite, hasChromium, uniqueName } from "./support.ts";

const FIRST_PASSWORD = "correct horse battery";
const NEW_PASSWORD = "a much better passphrase";

describe.skipIf(!hasChromium)("Settings and invites in a browser", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, openGeneral, waitConnected, messageInLog } = suite;

  const aliceName = uniqueName("alice");
  const bobName = uniqueName("bob");
  const roomName = uniqueName("hideout");
  let alice: Page;
  let aliceElsewhere: Page;
  let bob: Page;
  let roomId: string;

  async function logIn(page: Page, username: string, password: string): Promise<void> {
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
  }

  test("(a) changing the password signs out the other session, not this one", async () => {
    aliceElsewhere = await openPage();
    alice = await openPage();
    await signUp(alice, aliceName);
    await aliceElsewhere.goto(`${suite.server.url}/login`);
    await logIn(aliceElsewhere, aliceName, FIRST_PASSWORD);
    await aliceElsewhere.getByRole("heading", { name: `Welcome, ${aliceName}` }).waitFor();
    await openGeneral(aliceElsewhere);

    await suite.chooseInAccountMenu(alice, "Settings");
    await alice.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    expect(new URL(alice.url()).pathname).toBe("/settings");
    await alice.getByText("You have not created any private rooms yet.").waitFor();

    // A wrong current password is refused with the server's message.
    await alice.getByLabel("Current password").fill("not my password");
    await alice.getByLabel("New password").fill(NEW_PASSWORD);
    await alice.getByRole("button", { name: "Change password" }).click();
    await alice.getByRole("alert").getByText("Your current password is not right.").waitFor();

    await alice.getByLabel("Current password").fill(FIRST_PASSWORD);
    await alice.getByLabel("New password").fill(NEW_PASSWORD);
    await alice.getByRole("button", { name: "Change password" }).click();
    await alice
      .getByRole("status")
      .filter({ hasText: "Password changed. Other sessions were signed out." })
      .waitFor();
    expect(await alice.getByRole("alert").count()).toBe(0);

    // The other browser's room socket is closed (4001) and the app signs it out at once
    // (it stays in #general as a visitor, offered "Log in")…
    const logInLink = aliceElsewhere.getByRole("banner").getByRole("link", { name: "Log in" });
    await logInLink.waitFor({ timeout: 15_000 });
    // …and its cookie no longer works after a reload either.
    await aliceElsewhere.reload();
    await logInLink.waitFor();
    expect(await suite.accountButton(aliceElsewhere).count()).toBe(0);

    // This browser stays signed in.
    await alice.reload();
    await alice.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    await suite.accountButton(alice).waitFor();

    // The old password is refused and the new one works.
    await logInLink.click();
    await logIn(aliceElsewhere, aliceName, FIRST_PASSWORD);
    await aliceElsewhere.getByRole("alert").waitFor();
    await logIn(aliceElsewhere, aliceName, NEW_PASSWORD);
    // (Signed out in #general, it is signed in again in the same place.)
    await aliceElsewhere.getByRole("heading", { name: "#general" }).waitFor();
    await suite.accountButton(aliceElsewhere).waitFor();

    await expectNoProblems(alice);
    await expectNoProblems(aliceElsewhere);
  });

  test("(a2) Settings lists where you are signed in, and signs the other browser out", async () => {
    // After (a), alice is signed in here (on Settings) and in aliceElsewhere (in #general).
    await alice.reload();
    const list = alice.getByRole("list", { name: "Where you are signed in" });
    await list.getByText("this device").waitFor();
    const signOut = list.getByRole("button", { name: /^Sign out / });
    await signOut.first().waitFor();
    expect(await signOut.count()).toBe(1);
    await alice.getByRole("button", { name: "Sign out everywhere else" }).click();
    await alice.getByRole("status").filter({ hasText: "Signed out everywhere else." }).waitFor();
    await expect.poll(() => list.getByRole("button", { name: /^Sign out / }).count()).toBe(0);
    // The other browser is told at once (its sockets close), and stays signed out.
    const logInLink = aliceElsewhere.getByRole("banner").getByRole("link", { name: "Log in" });
    await logInLink.waitFor({ timeout: 15_000 });
    await aliceElsewhere.reload();
    await logInLink.waitFor();
    await alice.reload();
    await suite.accountButton(alice).waitFor();
    await expectNoProblems(alice);
    await expectNoProblems(aliceElsewhere);
  });

  test("(b) an invite link brings another user into a private room", async () => {
    // The owner makes a private room through the API, from the page (own cookie and origin).
    const created = await alice.evaluate<{ room: { id: string } }>(
      `fetch("/api/rooms", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: ${JSON.stringify(roomName)}, visibility: "private", password: "open sesame" }),
      }).then((r) => r.json())`,
    );
    roomId = created.room.id;
    await alice.goto(`${suite.server.url}/r/${roomId}`);
    await alice.getByRole("heading", { name: `#${roomName}` }).waitFor();
    await waitConnected(alice);

    await alice.getByRole("button", { name: "Invite link" }).click();
    const linkField = alice.getByRole("textbox", { name: "Invite link" });
    await linkField.waitFor();
    expect(await linkField.getAttribute("readonly")).not.toBeNull();
    const inviteUrl = await linkField.inputValue();
    expect(inviteUrl).toMatch(/\/invite\/[A-Za-z0-9_-]{20,}$/);
    await alice.getByRole("button", { name: "Copy invite link" }).click();
    await alice
      .getByRole("status")
      .filter({ hasText: /copied|copy the selected link/ })
      .waitFor();
    await alice.keyboard.press("Escape");
    await alice.getByRole("dialog").waitFor({ state: "hidden" });

    // A visitor opening the link sees where it leads, signs up right there and joins.
    bob = await openPage();
    await bob.goto(`${suite.server.url}${new URL(inviteUrl).pathname}`);
    await bob.getByRole("heading", { name: `Join ${roomName}?` }).waitFor();
    await bob.getByLabel("Username").fill(bobName);
    await bob.getByLabel("Password").fill(FIRST_PASSWORD);
    await bob.getByRole("button", { name: "Sign up" }).click();
    await bob.getByRole("heading", { name: `Join ${roomName}?` }).waitFor();
    await bob.getByRole("button", { name: "Join" }).click();
    await bob.getByRole("heading", { name: `#${roomName}` }).waitFor();
    expect(new URL(bob.url()).pathname).toBe(`/r/${roomId}`);
    await waitConnected(bob);

    await bob.getByLabel("Message").fill("Thanks for the invite!");
    await bob.getByRole("button", { name: "Send" }).click();
    await messageInLog(alice, "Thanks for the invite!").waitFor({ timeout: 10_000 });

    // A link that does not exist (or expired, or was revoked) says so.
    const stranger = await openPage();
    await stranger.goto(`${suite.server.url}/invite/not-a-real-token-000000`);
    await stranger
      .getByRole("alert")
      .getByText("This invite link has expired or was revoked. Ask for a new one.")
      .waitFor();

    await expectNoProblems(alice);
    await expectNoProblems(bob);
    await expectNoProblems(stranger);
  });

  test("(c) the owner deletes the room in Settings and the people inside are told", async () => {
    await suite.chooseInAccountMenu(alice, "Settings");
    const item = alice.getByRole("listitem").filter({ has: alice.getByRole("heading", { name: roomName }) });
    await item.waitFor();

    // Rename, then set a new password, from the same row.
    const renamed = `${roomName}_x`;
    await item.getByLabel(`Room name for ${roomName}`).fill(renamed);
    await item.getByRole("button", { name: "Rename" }).click();
    await alice.getByRole("heading", { name: renamed }).waitFor();
    const row = alice.getByRole("listitem").filter({ has: alice.getByRole("heading", { name: renamed }) });
    await row.getByLabel("New room password").fill("new sesame");
    await row.getByRole("button", { name: "Set password" }).click();
    await row.getByRole("status").filter({ hasText: "Room password changed." }).waitFor();

    // Deleting asks once more, in the page.
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Confirm delete" }).click();
    await alice.getByText("You have not created any private rooms yet.").waitFor();

    await bob.getByRole("alert").getByText("This room was deleted.").waitFor({ timeout: 15_000 });
    // The alert says why; the connection bar does not claim it is reconnecting.
    await expect.poll(() => suite.banner(bob).getAttribute("data-connection")).toBe("closed");
    expect(await suite.banner(bob).textContent()).toBe("");
    await bob.getByRole("link", { name: "Back to the rooms" }).click();
    // Home does not lead back to a deleted room: the welcome instead.
    await bob.getByRole("heading", { name: `Welcome, ${bobName}` }).waitFor();
    expect(await bob.getByRole("link", { name: renamed }).count()).toBe(0);

    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("(d) the owner removes a member and revokes an invite link in Settings", async () => {
    const clubName = uniqueName("club");
    const carolName = uniqueName("carol");
    const owner = await openPage();
    await signUp(owner, uniqueName("owner"));
    const created = await owner.evaluate<{ room: { id: string } }>(
      `fetch("/api/rooms", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name: ${JSON.stringify(clubName)}, visibility: "private", password: "club sesame" }),
      }).then((r) => r.json())`,
    );
    const clubId = created.room.id;

    // A second user joins with the room's password (through the API) and opens the room.
    const carol = await openPage();
    await signUp(carol, carolName);
    const joined = await carol.evaluate<number>(
      `fetch("/api/rooms/${clubId}/join", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ password: "club sesame" }),
      }).then((r) => r.status)`,
    );
    expect(joined).toBe(200);
    await carol.goto(`${suite.server.url}/r/${clubId}`);
    await carol.getByRole("heading", { name: `#${clubName}` }).waitFor();
    await waitConnected(carol);

    // The owner makes an invite link in the room page, then goes to Settings.
    await owner.goto(`${suite.server.url}/r/${clubId}`);
    await owner.getByRole("heading", { name: `#${clubName}` }).waitFor();
    await waitConnected(owner);
    await owner.getByRole("button", { name: "Invite link" }).click();
    await owner.getByRole("textbox", { name: "Invite link" }).waitFor();
    await owner.keyboard.press("Escape");
    await suite.chooseInAccountMenu(owner, "Settings");
    const row = owner.getByRole("listitem").filter({ has: owner.getByRole("heading", { name: clubName }) });
    await row.waitFor();

    // Both are members; only the owner is marked, and only the other one can be removed.
    const members = row.getByRole("list", { name: "Members" });
    await members.getByRole("listitem").filter({ hasText: carolName }).waitFor();
    expect(await members.getByRole("listitem").count()).toBe(2);
    expect(await members.getByRole("listitem").first().textContent()).toContain("owner");
    expect(await members.getByRole("button", { name: /^Remove / }).count()).toBe(1);
    await members.getByRole("button", { name: `Remove ${carolName}` }).click();
    await row
      .getByRole("status")
      .filter({ hasText: `Removed ${carolName}.` })
      .waitFor();
    await expect.poll(() => members.getByRole("listitem").count()).toBe(1);
    await carol.getByText("You were removed from this room.").waitFor({ timeout: 15_000 });

    // The invite link is listed with its expiry, and revoking it empties the list.
    const inviteList = row.getByRole("list", { name: "Invite links" });
    await inviteList.getByRole("listitem").filter({ hasText: "Expires" }).waitFor();
    expect(await inviteList.getByRole("listitem").count()).toBe(1);
    await row.getByRole("button", { name: "Revoke invite link" }).click();
    await row.getByText("No live invite links.").waitFor();
    expect(await inviteList.count()).toBe(0);
    expect(await row.getByRole("alert").count()).toBe(0);

    await expectNoProblems(owner);
    await expectNoProblems(carol);
  });
});
