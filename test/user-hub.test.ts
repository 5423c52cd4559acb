// The UserHub socket (`/api/me/ws`): presence as friends see it, last seen in Postgres,
// the online total, its door (Origin, session) and its handling of bad frames, sessions
// ending, and a database outage. The tests shorten the ping timeout to 3 s.
import { afterEach, describe, expect, it } from "vitest";
import {
  api,
  befriend,
  guestSession,
  HubClient,
  openHub,
  query,
  type Session,
  setDatabaseOutage,
  signUp,
  upgradeHub,
} from "./helpers.ts";

async function lastSeenInPostgres(userId: string): Promise<Date | null> {
  const [row] = await query<{ last_seen_at: Date | null }>("select last_seen_at from users where id = $1", [
    userId,
  ]);
  return row?.last_seen_at ? new Date(row.last_seen_at) : null;
}

async function eventually<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function friendsOf(session: Session) {
  const response = await api("/api/friends", { cookie: session.cookie });
  return (
    (await response.json()) as { friends: { id: string; online: boolean; lastSeenAt: string | null }[] }
  ).friends;
}

describe("presence", () => {
  it("a friend sees the user come online, and go offline with last seen, which reaches Postgres", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    expect(bobHub.of("ready")[0]?.friends).toEqual([
      expect.objectContaining({ id: ann.user.id, online: false }),
    ]);

    const annHub = await openHub(ann);
    const cameOnline = await bobHub.next("friend_presence");
    expect(cameOnline).toEqual({
      type: "friend_presence",
      userId: ann.user.id,
      online: true,
      lastSeenAt: null,
    });
    expect((await friendsOf(bob))[0]).toMatchObject({ id: ann.user.id, online: true, lastSeenAt: null });

    const closedAt = Date.now();
    annHub.close();
    const wentOffline = await bobHub.next("friend_presence");
    const heardAt = Date.now();
    expect(wentOffline).toMatchObject({ userId: ann.user.id, online: false });
    const lastSeen = Date.parse(wentOffline.lastSeenAt ?? "");
    expect(lastSeen).toBeGreaterThanOrEqual(closedAt - 1_000);
    expect(lastSeen).toBeLessThanOrEqual(heardAt);
    // "Within a couple of seconds": the grace period is 2 s.
    expect(heardAt - closedAt).toBeLessThan(5_000);

    const saved = await eventually(() => lastSeenInPostgres(ann.user.id), "last_seen_at in Postgres");
    expect(saved.getTime()).toBe(lastSeen);
    expect((await friendsOf(bob))[0]).toMatchObject({ online: false, lastSeenAt: wentOffline.lastSeenAt });
    bobHub.close();
  });

  it("a reload (close and reopen within the grace period) does not flash offline", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    const first = await openHub(ann);
    await bobHub.next("friend_presence");
    first.close();
    const second = await openHub(ann);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(bobHub.of("friend_presence")).toHaveLength(1);
    expect((await friendsOf(bob))[0]?.online).toBe(true);
    second.close();
    bobHub.close();
  });

  it("stays online while any socket lives, and a silent socket counts as gone", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    const phone = await openHub(ann, { silent: true });
    const laptop = await openHub(ann);
    expect((await bobHub.next("friend_presence")).online).toBe(true);
    laptop.close();
    // The phone still counts until its silence passes the (test) timeout of 3 s.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await friendsOf(bob))[0]?.online).toBe(true);
    const offline = await bobHub.until((c) => c.of("friend_presence")[1], "offline after silence", 12_000);
    expect(offline.online).toBe(false);
    await phone.until((c) => c.closed, "the silent socket closed");
    bobHub.close();
  });

  it("people who are not friends hear nothing", async () => {
    const [ann, eve] = await Promise.all([signUp(), signUp()]);
    const eveHub = await openHub(eve);
    const annHub = await openHub(ann);
    annHub.close();
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(eveHub.of("friend_presence")).toEqual([]);
    eveHub.close();
  });

  it("counts everyone online, for visitors too, and pushes changes to hubs", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    const annHub = await openHub(ann);
    const before = annHub.of("ready")[0]?.onlineTotal ?? 0;
    expect(before).toBeGreaterThanOrEqual(1);
    const bobHub = await openHub(bob);
    const pushed = await annHub.until(
      (c) => c.of("online_total").find((f) => f.count > before),
      "a higher online total",
    );
    const visible = (await (await api("/api/online")).json()) as { count: number };
    expect(visible.count).toBe(pushed.count);
    bobHub.close();
    annHub.close();
  });
});

describe("the hub socket's door", () => {
  it("needs the app's Origin and a session (guests have one: they count as online)", async () => {
    const ann = await signUp();
    expect((await upgradeHub({ cookie: ann.cookie, origin: "https://evil.example" })).status).toBe(403);
    expect((await upgradeHub()).status).toBe(401);
    expect((await upgradeHub({ cookie: (await guestSession()).cookie })).status).toBe(101);
    expect((await api("/api/me/ws", { cookie: ann.cookie })).status).toBe(426);
  });

  it("answers bad frames with an error and stays open; an oversized frame closes it with 1009", async () => {
    const ann = await signUp();
    const hub = await openHub(ann);
    hub.send("not json");
    hub.send({ type: "launch_missiles" });
    hub.send({ type: "dismiss_invite" });
    const errors = await hub.until((c) => c.of("error").length >= 3 && c.of("error"), "three errors");
    expect(errors.map((e) => e.code)).toEqual(["invalid_frame", "invalid_frame", "invalid_frame"]);
    expect(errors[1]?.message).toContain("launch_missiles");
    hub.send({ type: "hello" });
    await hub.until((c) => c.of("ready").length === 2, "a second ready");
    hub.send(JSON.stringify({ type: "hello", pad: "x".repeat(2_000) }));
    expect((await hub.until((c) => c.closed, "close"))?.code).toBe(1009);
  });
});

describe("sessions", () => {
  it("logging out closes that session's hub socket with 4001 and the user goes offline", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    const annHub = await openHub(ann);
    await bobHub.next("friend_presence");
    expect((await api("/api/auth/logout", { method: "POST", cookie: ann.cookie, json: {} })).status).toBe(
      204,
    );
    expect((await annHub.until((c) => c.closed, "close"))?.code).toBe(4001);
    expect((await bobHub.next("friend_presence")).online).toBe(false);
    bobHub.close();
  });

  it("a password change closes the other sessions' hub sockets with 4001", async () => {
    const ann = await signUp(undefined, "old password 1");
    const login = await api("/api/auth/login", {
      method: "POST",
      json: { username: ann.user.name, password: "old password 1" },
    });
    const other = { ...ann, cookie: login.headers.get("Set-Cookie")?.split(";")[0] ?? "" };
    const kept = await openHub(ann);
    const ended = await openHub(other);
    const changed = await api("/api/me/password", {
      method: "POST",
      cookie: ann.cookie,
      json: { currentPassword: "old password 1", newPassword: "new password 2" },
    });
    expect(changed.status).toBe(204);
    expect(await ended.until((c) => c.closed, "close")).toEqual({ code: 4001, reason: "password_changed" });
    expect(kept.closed).toBeNull();
    // The ended session's cookie opens no hub socket again; the kept one's fresh cookie does.
    const refused = await upgradeHub({ cookie: other.cookie });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthenticated" } });
    const fresh = changed.headers.get("Set-Cookie")?.split(";")[0] ?? "";
    (await openHub({ ...ann, cookie: fresh })).close();
    kept.close();
  });
});

describe("with the database down", () => {
  afterEach(() => setDatabaseOutage(false));

  it("says the friend list is unavailable, keeps the socket, and loads it once Postgres is back", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const response = await upgradeHub({ cookie: ann.cookie });
    if (!response.webSocket) throw new Error(`upgrade refused: ${response.status}`);
    const hub = new HubClient(response.webSocket);
    await setDatabaseOutage(true);
    hub.send({ type: "hello" });
    expect((await hub.next("error")).code).toBe("database_unavailable");
    expect(hub.closed).toBeNull();
    await setDatabaseOutage(false);
    hub.send({ type: "hello" });
    expect((await hub.next("ready")).friends.map((f) => f.id)).toEqual([bob.user.id]);
    hub.close();
  });

  it("still tells friends about going offline, and writes last seen once Postgres is back", async () => {
    const [ann, bob] = await Promise.all([signUp(), signUp()]);
    await befriend(ann, bob);
    const bobHub = await openHub(bob);
    const annHub = await openHub(ann);
    await bobHub.next("friend_presence");
    await setDatabaseOutage(true);
    annHub.close();
    const offline = await bobHub.next("friend_presence");
    expect(offline.online).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await setDatabaseOutage(false);
    expect(await lastSeenInPostgres(ann.user.id)).toBeNull();
    const saved = await eventually(
      () => lastSeenInPostgres(ann.user.id),
      "last_seen_at after the outage",
      20_000,
    );
    expect(saved.toISOString()).toBe(offline.lastSeenAt);
    bobHub.close();
  });
});
