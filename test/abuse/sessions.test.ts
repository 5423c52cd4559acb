// Log-out ends the session on the server: a copy of the cookie taken before (a shared
// computer, a leaked header) is worth nothing after it, on HTTP and on both sockets, while
// the account's other sessions keep working. Settings lists the sessions and ends them.
import { describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
  createRoom,
  guestSession,
  joinRoom,
  logIn,
  openHub,
  sessionCookie,
  signUp,
  upgrade,
  upgradeHub,
} from "../helpers.ts";

const PASSWORD = "correct horse battery";

const logOut = (cookie: string) => api("/api/auth/logout", { method: "POST", cookie, json: {} });

interface SessionInfo {
  id: string;
  browser: string;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

async function sessionsOf(cookie: string): Promise<SessionInfo[]> {
  const response = await api("/api/me/sessions", { cookie });
  expect(response.status).toBe(200);
  return ((await response.json()) as { sessions: SessionInfo[] }).sessions;
}

describe("log-out", () => {
  it("ends that session: its replayed cookie gets 401 and opens no socket as the account; others keep working", async () => {
    const ana = await signUp();
    const laptop = ana.cookie;
    const phone = await logIn(ana.user.name);
    const publicRoom = await createRoom(ana);
    const privateRoom = await createPrivateRoom(ana, "room secret");

    expect((await logOut(phone)).status).toBe(204);

    // HTTP: 401 everywhere the session was needed.
    expect((await api("/api/me", { cookie: phone })).status).toBe(401);
    expect((await api("/api/friends", { cookie: phone })).status).toBe(401);
    // Sockets: the hub refuses it, a private room refuses it, a public room gives it what a
    // visitor gets: read-only, so a send is refused.
    expect((await upgradeHub({ cookie: phone })).status).toBe(401);
    expect((await upgrade(privateRoom, { cookie: phone })).status).toBe(401);
    const replayed = await joinRoom(publicRoom, { ...ana, cookie: phone });
    const ready = replayed.frames.find((f) => f.type === "ready");
    expect(ready?.type === "ready" && ready.room.canWrite).toBe(false);
    replayed.send({ type: "send", clientId: "replayed", body: "sent with a dead cookie" });
    expect((await replayed.next("error")).code).toBe("forbidden");

    // The laptop still works, on HTTP and both sockets.
    expect((await api("/api/me", { cookie: laptop })).status).toBe(200);
    const hub = await openHub({ ...ana, cookie: laptop });
    expect(hub.closed).toBeNull();
    const socket = await joinRoom(privateRoom, { ...ana, cookie: laptop });
    socket.send({ type: "send", clientId: "laptop", body: "still here" });
    expect((await socket.next("ack")).clientId).toBe("laptop");
  });

  it("a room that trusted the account's other socket still refuses the logged-out cookie", async () => {
    const ana = await signUp();
    const laptop = ana.cookie;
    const phone = await logIn(ana.user.name);
    const roomId = await createRoom(ana);
    // The laptop's socket keeps the room registered with the hub; the phone logs out.
    const laptopSocket = await joinRoom(roomId, { ...ana, cookie: laptop });
    const phoneSocket = await joinRoom(roomId, { ...ana, cookie: phone });
    expect((await logOut(phone)).status).toBe(204);
    await phoneSocket.until((c) => c.closed, "the phone's socket to close");
    expect(phoneSocket.closed).toEqual({ code: 4001, reason: "signed_out" });
    // The laptop reconnects (the room confirms it again), then the phone's cookie is replayed.
    const again = await joinRoom(roomId, { ...ana, cookie: laptop });
    const replayed = await joinRoom(roomId, { ...ana, cookie: phone });
    const ready = replayed.frames.find((f) => f.type === "ready");
    expect(ready?.type === "ready" && ready.room.canWrite).toBe(false);
    expect(laptopSocket.closed).toBeNull();
    expect(again.closed).toBeNull();
  });

  it("a guest's log-out ends the guest session too", async () => {
    const guest = await guestSession();
    expect((await api("/api/me", { cookie: guest.cookie })).status).toBe(200);
    const lobby = await joinRoom("lobby", guest);
    expect((await logOut(guest.cookie)).status).toBe(204);
    await lobby.until((c) => c.closed, "the guest's lobby socket to close");
    expect(lobby.closed?.code).toBe(4001);
    expect((await api("/api/me", { cookie: guest.cookie })).status).toBe(401);
    const replayed = await joinRoom("lobby", guest);
    replayed.send({ type: "send", clientId: "ghost", body: "still a guest?" });
    expect((await replayed.next("error")).code).toBe("forbidden");
  });
});

describe("signed-in sessions in Settings", () => {
  it("lists each session with its browser, marks this one, and signs one out", async () => {
    const ana = await signUp();
    const firefox = await logIn(ana.user.name, {
      userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
    });
    const iphone = await logIn(ana.user.name, {
      userAgent:
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1",
    });
    const sessions = await sessionsOf(firefox);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current).map((s) => s.browser)).toEqual(["Firefox on Linux"]);
    expect(sessions.map((s) => s.browser)).toContain("Safari on iPhone");
    for (const s of sessions) {
      expect(Date.parse(s.lastActiveAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    }

    const phone = sessions.find((s) => s.browser === "Safari on iPhone");
    const hub = await openHub({ ...ana, cookie: iphone });
    expect((await api(`/api/me/sessions/${phone?.id}`, { method: "DELETE", cookie: firefox })).status).toBe(
      204,
    );
    expect((await api("/api/me", { cookie: iphone })).status).toBe(401);
    await hub.until((c) => c.closed, "the signed-out phone's hub socket to close");
    expect(hub.closed?.code).toBe(4001);
    expect((await sessionsOf(firefox)).map((s) => s.browser)).not.toContain("Safari on iPhone");
    // Another account's session id is not found here.
    const ben = await signUp();
    const bens = await sessionsOf(ben.cookie);
    expect((await api(`/api/me/sessions/${bens[0]?.id}`, { method: "DELETE", cookie: firefox })).status).toBe(
      404,
    );
    expect((await api("/api/me", { cookie: ben.cookie })).status).toBe(200);
  });

  it("signs out everywhere else, and keeps this browser signed in", async () => {
    const ana = await signUp();
    const other = await logIn(ana.user.name);
    const third = await logIn(ana.user.name);
    const response = await api("/api/me/sessions", { method: "DELETE", cookie: ana.cookie });
    expect(response.status).toBe(204);
    expect((await api("/api/me", { cookie: other })).status).toBe(401);
    expect((await api("/api/me", { cookie: third })).status).toBe(401);
    // This browser goes on with the fresh cookie it was given (the account's new version).
    const fresh = sessionCookie(response);
    expect((await api("/api/me", { cookie: fresh })).status).toBe(200);
    expect((await sessionsOf(fresh)).map((s) => s.current)).toEqual([true]);
  });

  it("keeps at most 50 sessions an account: the least recently active ends", async () => {
    const ana = await signUp();
    // Log-ins cost a hash each; the account's hub is what is bounded, so mint them fast.
    const cookies: string[] = [];
    for (let i = 0; i < 51; i++) {
      const response = await api("/api/auth/login", {
        method: "POST",
        json: { username: ana.user.name, password: PASSWORD },
      });
      if (response.status === 200) cookies.push(sessionCookie(response));
    }
    const listed = await sessionsOf(cookies.at(-1) ?? "");
    expect(listed.length).toBe(50);
    // The first of all (sign-up's) was the least recently active: it ended.
    expect((await api("/api/me", { cookie: ana.cookie })).status).toBe(401);
  }, 120_000);
});
