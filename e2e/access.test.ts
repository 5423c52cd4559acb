// The browser suite for access: private rooms behind a password reached by a shared
// link, and visitors who read, continue as guests in the lobby, and are kept to it.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { browserSuite, hasChromium, RESULTS_DIR, uniqueName } from "./support.ts";

describe.skipIf(!hasChromium)("Access in a browser", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, messageInLog } = suite;

  test("(a) a private room: copy its link, a wrong then the right password, then chat both ways", async () => {
    const [alice, bob] = await Promise.all([openPage(), openPage()]);
    await Promise.all([signUp(alice, uniqueName("alice")), signUp(bob, uniqueName("bob"))]);
    await alice
      .context()
      .grantPermissions(["clipboard-read", "clipboard-write"], { origin: suite.server.url });

    await alice.getByRole("link", { name: "Create a room" }).click();
    await alice.getByLabel("Room name").fill("Secret garden");
    expect(await alice.getByLabel("Room password").count()).toBe(0);
    await alice.getByLabel("Private").check();
    await alice.getByLabel("Room password").fill("open sesame");
    await alice.getByRole("button", { name: "Create room" }).click();
    await alice.getByRole("heading", { name: "#Secret garden" }).waitFor();
    await waitConnected(alice);
    const path = new URL(alice.url()).pathname;
    expect(path).toMatch(/^\/r\/[a-z0-9]+$/);

    await alice.getByRole("button", { name: "Copy link" }).click();
    await expect.poll(() => alice.getByRole("status", { name: "Share" }).textContent()).toBe("Link copied");
    const link = await alice.evaluate<string>("navigator.clipboard.readText()");
    expect(link).toBe(`${suite.server.url}${path}`);

    // The room list marks it private, for its owner.
    await alice.getByRole("link", { name: "Chattr" }).click();
    await alice.getByRole("heading", { name: /^Welcome, / }).waitFor();
    const listed = alice.getByRole("navigation").getByRole("link", { name: /Secret garden/ });
    await listed.getByRole("img", { name: "private" }).waitFor();
    await listed.click();
    await waitConnected(alice);

    // Bob opens the link: only the name and a password prompt.
    await bob.goto(link);
    await bob.getByRole("heading", { name: "#Secret garden" }).waitFor();
    expect(await bob.getByLabel("Message").count()).toBe(0);
    await bob.getByLabel("Room password").fill("open barley");
    await bob.getByRole("button", { name: "Join" }).click();
    // A wrong guess is hashed (argon2id): on a busy machine that takes over expect.poll's 1 s.
    await expect
      .poll(() => bob.getByRole("alert").textContent(), { timeout: 10_000 })
      .toBe("That password is not right for this room.");
    mkdirSync(RESULTS_DIR, { recursive: true });
    await bob.screenshot({ path: join(RESULTS_DIR, "private-room-prompt.png") });
    await bob.getByLabel("Room password").fill("open sesame");
    await bob.getByRole("button", { name: "Join" }).click();
    await waitConnected(bob);
    expect(new URL(bob.url()).pathname).toBe(path);

    await bob.getByLabel("Message").fill("Let me in, I'm here");
    await bob.getByLabel("Message").press("Enter");
    await messageInLog(alice, "Let me in, I'm here").waitFor({ timeout: 10_000 });
    await alice.getByLabel("Message").fill("Welcome to the garden");
    await alice.getByLabel("Message").press("Enter");
    await messageInLog(bob, "Welcome to the garden").waitFor({ timeout: 10_000 });

    // A visitor with the link sees only the name, signs up, and comes back to the prompt.
    const carol = await openPage();
    await carol.goto(link);
    await carol.getByRole("heading", { name: "#Secret garden" }).waitFor();
    expect(await carol.getByLabel("Room password").count()).toBe(0);
    expect(await carol.getByRole("log").count()).toBe(0);
    await carol.getByRole("link", { name: "Sign up or log in" }).click();
    await carol.getByRole("link", { name: "Create an account" }).click();
    await carol.getByLabel("Username").fill(uniqueName("carol"));
    await carol.getByLabel("Password", { exact: true }).fill("correct horse battery");
    await carol.getByRole("button", { name: "Sign up" }).click();
    await carol.getByLabel("Room password").waitFor();
    expect(new URL(carol.url()).pathname).toBe(path);

    // Guessing: five wrong passwords are explained, the sixth is refused with the server's words.
    const joinButton = carol.getByRole("button", { name: "Join" });
    for (let guess = 1; guess <= 5; guess += 1) {
      await carol.getByLabel("Room password").fill(`guess ${guess}`);
      await joinButton.click();
      await carol.getByRole("alert").waitFor();
      await expect.poll(() => joinButton.isEnabled()).toBe(true);
      expect(await carol.getByRole("alert").textContent()).toBe("That password is not right for this room.");
    }
    await carol.getByLabel("Room password").fill("open sesame");
    await joinButton.click();
    await expect
      .poll(() => carol.getByRole("alert").textContent())
      .toBe("Too many wrong passwords for this room. Try again in a minute.");
    expect(await carol.getByLabel("Message").count()).toBe(0);
    await expectNoProblems(carol);

    // Membership lasts: a reload goes straight into the room.
    await bob.reload();
    await waitConnected(bob);
    await messageInLog(bob, "Welcome to the garden").waitFor({ timeout: 10_000 });
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("(b) a visitor reads the lobby, continues as guest, posts, and is kept to the lobby", async () => {
    const userName = uniqueName("dora");
    const [user, visitor] = await Promise.all([openPage(), openPage()]);
    await signUp(user, userName);
    // The sidebar's link (the welcome lists the lobby among the recent rooms too).
    await user.getByRole("navigation").getByRole("link", { name: /Lobby/ }).click();
    await waitConnected(user);

    // The visitor lands on the landing page, not the sign-in form, and browses from there.
    await visitor.goto(`${suite.server.url}/`);
    await visitor.getByRole("heading", { name: "Talk with your people, live." }).waitFor();
    const account = visitor.getByRole("navigation", { name: "Account" });
    await account.getByRole("link", { name: "Log in" }).waitFor();
    await account.getByRole("link", { name: "Sign up" }).waitFor();
    await visitor.getByRole("link", { name: "Browse public rooms" }).click();
    await visitor.getByRole("link", { name: /Lobby/ }).click();
    await visitor.getByRole("heading", { name: "#Lobby" }).waitFor();
    await expect
      .poll(() => suite.banner(visitor).getAttribute("data-connection"), { timeout: 15_000 })
      .toBe("open");
    expect(await visitor.getByLabel("Message").count()).toBe(0);

    // Live reading, without a session.
    await user.getByLabel("Message").fill("Hello, whoever reads this");
    await user.getByLabel("Message").press("Enter");
    await messageInLog(visitor, "Hello, whoever reads this").waitFor({ timeout: 10_000 });

    // A public room is read-only for a visitor.
    await visitor.getByRole("link", { name: "general" }).click();
    await visitor.getByRole("heading", { name: "#general" }).waitFor();
    await visitor.getByText("Join the conversation: Sign up or Log in").waitFor();
    expect(await visitor.getByLabel("Message").count()).toBe(0);
    expect(await visitor.getByRole("button", { name: "Continue as guest" }).count()).toBe(0);

    // Back in the lobby, as a guest.
    await visitor.getByRole("link", { name: /Lobby/ }).click();
    await visitor.getByText("Join the conversation: Sign up or Log in").waitFor();
    mkdirSync(RESULTS_DIR, { recursive: true });
    await visitor.screenshot({ path: join(RESULTS_DIR, "lobby-visitor.png") });
    const guestName = uniqueName("Guest Gus");
    await visitor.getByLabel("Guest name").fill(guestName);
    await visitor.getByRole("button", { name: "Continue as guest" }).click();
    await waitConnected(visitor);
    await visitor.getByLabel("Message").fill("Hi from a guest");
    await visitor.getByLabel("Message").press("Enter");

    const fromGuest = user
      .getByRole("log")
      .getByRole("listitem")
      .filter({ has: user.getByText("Hi from a guest", { exact: true }) });
    await fromGuest.waitFor({ timeout: 10_000 });
    expect(await fromGuest.textContent()).toContain(guestName);
    await fromGuest.getByText("guest", { exact: true }).waitFor();
    const online = user.getByRole("complementary", { name: "Members" });
    await online
      .getByRole("listitem")
      .filter({ hasText: guestName })
      .getByText("guest", { exact: true })
      .waitFor();

    // A guest reads a public room but cannot post there.
    await visitor
      .getByRole("navigation")
      .getByRole("link", { name: /general/ })
      .click();
    await visitor.getByText("Guests can chat in the lobby only. Sign up to chat here.").waitFor();
    await user.screenshot({ path: join(RESULTS_DIR, "lobby-with-guest.png") });
    expect(await visitor.getByLabel("Message").count()).toBe(0);
    await expectNoProblems(user);
    await expectNoProblems(visitor);
  });
});
