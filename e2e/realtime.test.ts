// The browser suite for issue 3: receipts go from sent to delivered to seen when the
// other user looks (on the sender's last message only), typing indicators appear and clear, and a message typed while offline
// (or whose ack was lost) is stored and shown exactly once, even across reloads.
import type { Locator, Page, WebSocketRoute } from "playwright-core";
import { describe, expect, test } from "vitest";
import { browserSuite, hasChromium, uniqueName } from "./support.ts";

const ROOM_SOCKET = /\/api\/rooms\/[^/]+\/ws$/;

/** A JSON frame's type and clientId; nothing for `ping`/`pong` and other text. */
function peek(message: string | Buffer): { type?: string; clientId?: string } {
  try {
    const frame: unknown = JSON.parse(String(message));
    return typeof frame === "object" && frame !== null ? frame : {};
  } catch {
    return {};
  }
}

/** The frames of a `batch` frame, each as its own text; any other message as it is. */
function unbatch(message: string | Buffer): string[] {
  const frame = peek(message) as { type?: string; frames?: unknown[] };
  if (frame.type === "batch" && Array.isArray(frame.frames))
    return frame.frames.map((f) => JSON.stringify(f));
  return [String(message)];
}

/**
 * Routes a page's room sockets through the test, which can cut them, hold off reconnects,
 * and swallow the server's answers to the next `send` (its echo and ack) before cutting.
 */
async function controlSocket(page: Page) {
  const state = {
    cutOff: false,
    loseNextAck: false,
    sends: [] as string[],
    /** Every `hello` the page said and every `ready` it was sent, in order. */
    hellos: [] as Record<string, unknown>[],
    readies: [] as Record<string, unknown>[],
  };
  const routes: WebSocketRoute[] = [];
  let lost: (() => void) | undefined;
  await page.routeWebSocket(ROOM_SOCKET, (ws) => {
    if (state.cutOff) {
      void ws.close();
      return;
    }
    routes.push(ws);
    const server = ws.connectToServer();
    let swallow: string | undefined;
    ws.onMessage((message) => {
      const frame = peek(message);
      if (frame.type === "hello") state.hellos.push(frame);
      if (frame.type === "send" && frame.clientId) {
        state.sends.push(frame.clientId);
        if (state.loseNextAck) {
          state.loseNextAck = false;
          swallow = frame.clientId;
        }
      }
      server.send(message);
    });
    server.onMessage((message) => {
      // The page asks for coalesced frames: look at (and pass on) each frame of a batch.
      for (const frame of unbatch(message)) {
        if (peek(frame).type === "ready") state.readies.push(peek(frame));
        if (swallow && frame.includes(swallow)) {
          if (peek(frame).type === "ack") {
            // Stored by the room, but the page never learns it: drop the connection.
            swallow = undefined;
            state.cutOff = true;
            void ws.close();
            lost?.();
            return;
          }
          continue; // the echo is swallowed too
        }
        ws.send(frame);
      }
    });
  });
  return {
    state,
    /** Closes the current socket and refuses new ones until `restore()`. */
    async cut() {
      state.cutOff = true;
      await routes.at(-1)?.close();
    },
    restore() {
      state.cutOff = false;
    },
    /** Resolves when an ack was swallowed and the socket cut. */
    ackLost(): Promise<void> {
      return new Promise((resolve) => {
        lost = resolve;
      });
    },
  };
}

/** Makes the page report itself hidden (or visible again) to the app. */
async function setVisible(page: Page, visible: boolean): Promise<void> {
  await page.evaluate(`{
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => ${visible ? '"visible"' : '"hidden"'} });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => ${!visible} });
    document.dispatchEvent(new Event("visibilitychange"));
  }`);
}

describe.skipIf(!hasChromium)("real-time: receipts, typing, exactly-once sends", () => {
  const suite = browserSuite();
  const { openPage, expectNoProblems, signUp, waitConnected, messageInLog } = suite;

  let alice: Page;
  let bob: Page;
  let roomPath = "";
  const aliceName = uniqueName("alice");
  const bobName = uniqueName("bob");

  function item(page: Page, body: string): Locator {
    return page
      .getByRole("log")
      .getByRole("listitem")
      .filter({ has: page.getByText(body, { exact: true }) });
  }

  function statusOf(page: Page, body: string): Locator {
    return item(page, body).locator(".message-status");
  }

  /** The status text stays `text` for a while (it does not move on by itself). */
  async function stays(locator: Locator, text: string, ms = 1_200): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      expect(await locator.textContent()).toContain(text);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  test("receipts go from sent to delivered to seen when the other user looks", async () => {
    [alice, bob] = await Promise.all([openPage(), openPage()]);
    await Promise.all([signUp(alice, aliceName), signUp(bob, bobName)]);

    // A room (not a direct one): the receipt ends as "Seen by N".
    await bob.getByRole("link", { name: "Create a room" }).click();
    await bob.getByLabel("Room name").fill("Receipts");
    await bob.getByRole("button", { name: "Create room" }).click();
    await bob.getByRole("heading", { name: "#Receipts" }).waitFor();
    roomPath = new URL(bob.url()).pathname;
    await waitConnected(bob);

    const aliceSocket = await controlSocket(alice);
    await alice.goto(`${suite.server.url}${roomPath}`);
    await waitConnected(alice);
    // Both see each other online.
    const online = bob.getByRole("complementary", { name: "Members" });
    await expect.poll(() => online.getByText("Here now · 2").count(), { timeout: 10_000 }).toBe(1);
    expect(await online.getByText(aliceName).count()).toBe(1);

    // Alice is away: the message is stored (one tick) but not delivered.
    await setVisible(alice, false);
    await aliceSocket.cut();
    const body = "Did you get this?";
    await bob.getByLabel("Message").fill(body);
    await bob.getByLabel("Message").press("Enter");
    await expect.poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 }).toBe("Sent");
    await stays(statusOf(bob, body), "Sent");

    // Alice's page reconnects but is in the background: delivered, not read.
    aliceSocket.restore();
    await waitConnected(alice);
    await messageInLog(alice, body).waitFor({ timeout: 10_000 });
    await expect.poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 }).toBe("Delivered");
    await stays(statusOf(bob, body), "Delivered");

    // Alice looks at the room: read.
    await setVisible(alice, true);
    await expect.poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 }).toBe("Seen by 1");
    expect(await item(bob, body).getByRole("button", { name: "Seen by 1" }).getAttribute("title")).toBe(
      aliceName,
    );
    // Receipts are only on one's own messages.
    expect(await statusOf(alice, body).count()).toBe(0);

    // The room list shows Alice nothing unread in this room now.
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("in a group, 'Seen by N' names the readers on hover and on tap, on the last message only", async () => {
    const carolName = uniqueName("carol");
    const carol = await openPage();
    await signUp(carol, carolName);
    await carol.goto(`${suite.server.url}${roomPath}`);
    await waitConnected(carol);
    await expect
      .poll(() => bob.getByRole("complementary", { name: "Members" }).getByText("Here now · 3").count(), {
        timeout: 10_000,
      })
      .toBe(1);

    const body = "Hello both of you";
    await bob.getByLabel("Message").fill(body);
    await bob.getByLabel("Message").press("Enter");
    const readBy = item(bob, body).getByRole("button", { name: "Seen by 2" });
    await readBy.waitFor({ timeout: 10_000 });
    const title = (await readBy.getAttribute("title")) ?? "";
    expect(title.split(", ").sort()).toEqual([aliceName, carolName].sort());

    expect(await readBy.getAttribute("aria-expanded")).toBe("false");
    await readBy.focus();
    await bob.keyboard.press("Enter");
    expect(await readBy.getAttribute("aria-expanded")).toBe("true");
    const names = item(bob, body).getByRole("list", { name: "Seen by" }).getByRole("listitem");
    expect((await names.allTextContents()).sort()).toEqual([aliceName, carolName].sort());
    await readBy.click();
    expect(await item(bob, body).getByRole("list", { name: "Seen by" }).count()).toBe(0);
    // The earlier message's receipt moved here: one mark, not a label per message.
    expect(await statusOf(bob, "Did you get this?").count()).toBe(0);
    expect(await bob.getByRole("log").locator(".message-status").count()).toBe(1);
    await carol.close();
    await expectNoProblems(bob);
  });

  test("a typing indicator appears for the other user and clears after sending", async () => {
    const typing = bob.getByRole("status", { name: "Typing" });
    expect(await typing.textContent()).toBe("");

    const composer = alice.getByLabel("Message");
    await composer.click();
    await composer.pressSequentially("Just a sec", { delay: 30 });
    await expect.poll(() => typing.textContent(), { timeout: 10_000 }).toBe(`${aliceName} is typing…`);
    // Never for oneself.
    expect(await alice.getByRole("status", { name: "Typing" }).textContent()).toBe("");

    await composer.press("Enter");
    await messageInLog(bob, "Just a sec").waitFor({ timeout: 10_000 });
    await expect.poll(() => typing.textContent(), { timeout: 5_000 }).toBe("");

    // Emptying the box also stops it.
    await composer.pressSequentially("hm", { delay: 30 });
    await expect.poll(() => typing.textContent(), { timeout: 10_000 }).toBe(`${aliceName} is typing…`);
    await composer.fill("");
    await composer.press("Backspace");
    await expect.poll(() => typing.textContent(), { timeout: 5_000 }).toBe("");
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("a message typed while offline is sent exactly once after reconnect, even across a reload", async () => {
    const bobSocket = await controlSocket(bob);
    await bob.reload();
    await waitConnected(bob);

    await bobSocket.cut();
    // The bar waits a second, so a blip goes unannounced.
    await expect.poll(() => suite.banner(bob).textContent(), { timeout: 5_000 }).toBe("Reconnecting…");
    const body = "Typed while offline";
    await bob.getByLabel("Message").fill(body);
    await bob.getByLabel("Message").press("Enter");
    await expect.poll(() => statusOf(bob, body).textContent()).toBe("Waiting for connection");

    // Still offline, the page is reloaded: the outbox survives.
    await bob.reload();
    await bob.getByRole("heading", { name: "#Receipts" }).waitFor();
    await expect
      .poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 })
      .toBe("Waiting for connection");
    expect(await messageInLog(bob, body).count()).toBe(1);

    bobSocket.restore();
    await waitConnected(bob);
    await messageInLog(alice, body).waitFor({ timeout: 10_000 });
    // Confirmed (acked), whatever the receipts say by now.
    await expect
      .poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 })
      .toMatch(/Sent|Delivered|Seen by/);
    for (const page of [alice, bob]) expect(await messageInLog(page, body).count()).toBe(1);

    await bob.reload();
    await waitConnected(bob);
    await messageInLog(bob, body).waitFor({ timeout: 10_000 });
    await alice.reload();
    await waitConnected(alice);
    await messageInLog(alice, body).waitFor({ timeout: 10_000 });
    for (const page of [alice, bob]) expect(await messageInLog(page, body).count()).toBe(1);
    expect(
      await bob.evaluate<number>(
        "Object.keys(localStorage).filter((k) => k.startsWith('chattr.outbox')).length",
      ),
    ).toBe(0);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("a message whose ack was lost is resent with the same clientId and shown once", async () => {
    const bobSocket = await controlSocket(bob);
    await bob.reload();
    await waitConnected(bob);

    bobSocket.state.loseNextAck = true;
    const lost = bobSocket.ackLost();
    const body = "Ack went missing";
    await bob.getByLabel("Message").fill(body);
    await bob.getByLabel("Message").press("Enter");
    await lost;
    // Alice got it live; Bob's copy is still unconfirmed.
    await messageInLog(alice, body).waitFor({ timeout: 10_000 });
    await expect.poll(() => statusOf(bob, body).textContent()).toBe("Waiting for connection");

    bobSocket.restore();
    await waitConnected(bob);
    await expect
      .poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 })
      .toMatch(/Sent|Delivered|Seen by/);
    const sends = bobSocket.state.sends;
    expect(sends.length).toBe(2);
    expect(new Set(sends).size).toBe(1);
    for (const page of [alice, bob]) expect(await messageInLog(page, body).count()).toBe(1);
    await alice.reload();
    await waitConnected(alice);
    await messageInLog(alice, body).waitFor({ timeout: 10_000 });
    expect(await messageInLog(alice, body).count()).toBe(1);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("the room list shows unread and online counts", async () => {
    // Alice leaves the room for a page with the sidebar (home would lead back to the room); Bob writes twice.
    await alice.goto(`${suite.server.url}/settings`);
    await alice.getByRole("heading", { name: "Settings", level: 1 }).waitFor();
    for (const body of ["One for later", "Two for later"]) {
      await bob.getByLabel("Message").fill(body);
      await bob.getByLabel("Message").press("Enter");
      await expect.poll(() => statusOf(bob, body).textContent(), { timeout: 10_000 }).toBe("Sent");
    }
    // Rooms push their counts to the list within about a second: reload until it shows them.
    const link = alice.getByRole("link", { name: /Receipts/ });
    await expect
      .poll(
        async () => {
          await alice.reload();
          return await link.textContent();
        },
        { timeout: 10_000, interval: 500 },
      )
      .toContain("2 unread");
    // Alice stays listed in the room for the 2 s grace a dropped connection gets.
    await expect
      .poll(
        async () => {
          await alice.reload();
          return await link.textContent();
        },
        { timeout: 10_000, interval: 1_000 },
      )
      .toContain("1 online");
    await expectNoProblems(alice);
  });

  test("a long outbox drains in order, exactly once, without tripping the flood limit", async () => {
    await alice.getByRole("link", { name: /Receipts/ }).click();
    await waitConnected(alice);
    const bobSocket = await controlSocket(bob);
    await bob.reload();
    await waitConnected(bob);
    await bobSocket.cut();
    const bodies = Array.from({ length: 30 }, (_, i) => `queued ${i + 1}`);
    for (const body of bodies) {
      await bob.getByLabel("Message").fill(body);
      await bob.getByLabel("Message").press("Enter");
    }
    await expect.poll(() => bob.getByText("Waiting for connection").count()).toBe(30);

    bobSocket.restore();
    await waitConnected(bob);
    const inAlice = async () =>
      (await alice.getByRole("log").locator(".message-body").allTextContents()).filter((t) =>
        t.startsWith("queued "),
      );
    await expect.poll(inAlice, { timeout: 20_000 }).toEqual(bodies);
    await expect.poll(() => bob.locator(".message-status.is-pending").count(), { timeout: 10_000 }).toBe(0);
    expect(new Set(bobSocket.state.sends).size).toBe(30);
    await bob.reload();
    await waitConnected(bob);
    await expect
      .poll(
        async () =>
          (await bob.getByRole("log").locator(".message-body").allTextContents()).filter((t) =>
            t.startsWith("queued "),
          ),
        { timeout: 10_000 },
      )
      .toEqual(bodies);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });

  test("a connection that blips keeps who is online, and the room does not send the list again", async () => {
    const aliceSocket = await controlSocket(alice);
    await alice.reload();
    await waitConnected(alice);
    const heading = (page: Page) =>
      page.getByRole("complementary", { name: "Members" }).getByText(/^Here now · \d+$/);
    await expect.poll(() => heading(bob).textContent(), { timeout: 10_000 }).toMatch(/Here now · (2|3)/);
    const before = await heading(bob).textContent();
    expect(await heading(alice).textContent()).toBe(before);

    await aliceSocket.cut();
    aliceSocket.restore();
    await waitConnected(alice);
    // The resumed hello named the list Alice held; it was still current, so `ready` left it out.
    expect(aliceSocket.state.hellos).toHaveLength(2);
    expect(aliceSocket.state.hellos[0]).not.toHaveProperty("presenceVersion");
    expect(aliceSocket.state.hellos[1]?.presenceVersion).toEqual(expect.any(String));
    expect(aliceSocket.state.readies[0]).toHaveProperty("online");
    expect(aliceSocket.state.readies[1]).not.toHaveProperty("online");
    // Neither side's list moved: Alice keeps hers, and Bob never saw her leave.
    await stays(heading(bob), before ?? "");
    expect(await heading(alice).textContent()).toBe(before);
    expect(await alice.getByRole("complementary", { name: "Members" }).getByText(aliceName).count()).toBe(1);
    await expectNoProblems(alice);
    await expectNoProblems(bob);
  });
});
