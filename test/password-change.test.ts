// Changing one's password ends every other session at once, cookies and sockets alike,
// while the browser that changed it stays signed in.
import { describe, expect, it } from "vitest";
import {
  api,
  createPrivateRoom,
  createRoom,
  joinRoom,
  logIn,
  sessionCookie,
  signUp,
  upgrade,
} from "./helpers.ts";

const PASSWORD = "correct horse battery";

const change = (cookie: string, currentPassword: string, newPassword: string) =>
  api("/api/me/password", { method: "POST", cookie, json: { currentPassword, newPassword } });

describe("changing the account password", () => {
  it("ends the other sessions (401, sockets closed with 4001) and keeps this one", async () => {
    const ana = await signUp();
    const laptop = ana.cookie;
    const phone = await logIn(ana.user.name);
    const roomId = await createRoom(ana);
    const laptopSocket = await joinRoom(roomId, { ...ana, cookie: laptop });
    const phoneSocket = await joinRoom(roomId, { ...ana, cookie: phone });
    const generalOnPhone = await joinRoom("general", { ...ana, cookie: phone });

    const response = await change(laptop, PASSWORD, "a brand new secret");
    expect(response.status).toBe(204);
    const fresh = sessionCookie(response);

    // The phone's cookie no longer works, and its sockets in every room were closed.
    expect((await api("/api/me", { cookie: phone })).status).toBe(401);
    for (const socket of [phoneSocket, generalOnPhone]) {
      await socket.until((c) => c.closed, "the phone's socket to close");
      // The reason lets the app tell the person why they were signed out.
      expect(socket.closed).toEqual({ code: 4001, reason: "password_changed" });
    }
    // The laptop stays signed in (with its fresh cookie) and its socket stays open.
    expect((await api("/api/me", { cookie: fresh })).status).toBe(200);
    laptopSocket.send({ type: "send", clientId: "still-here", body: "still here" });
    expect((await laptopSocket.next("ack")).clientId).toBe("still-here");
    expect(laptopSocket.closed).toBeNull();

    // The old password is gone, the new one works.
    const old = await api("/api/auth/login", {
      method: "POST",
      json: { username: ana.user.name, password: PASSWORD },
    });
    expect(old.status).toBe(401);
    await logIn(ana.user.name, { password: "a brand new secret" });
  });

  it("a cookie from before the change opens no room as its account, though the room still holds the account's other socket", async () => {
    // The rooms confirm a session's version with the account's hub once, and trust it while
    // the hub would tell them of a change: the laptop's socket keeps both rooms registered,
    // and the phone joined them on that trust.
    const ana = await signUp();
    const laptop = ana.cookie;
    const phone = await logIn(ana.user.name);
    const publicRoom = await createRoom(ana);
    const privateRoom = await createPrivateRoom(ana, "room secret");
    const laptopSockets = [await joinRoom(publicRoom, ana), await joinRoom(privateRoom, ana)];
    const phoneSockets = [
      await joinRoom(publicRoom, { ...ana, cookie: phone }),
      await joinRoom(privateRoom, { ...ana, cookie: phone }),
    ];
    for (const socket of phoneSockets) expect(socket.of("ready")[0]?.room.canWrite).toBe(true);

    const response = await change(laptop, PASSWORD, "a brand new secret");
    expect(response.status).toBe(204);
    const fresh = sessionCookie(response);
    for (const socket of phoneSockets) {
      await socket.until((c) => c.closed, "the phone's socket to close");
      expect(socket.closed?.code).toBe(4001);
    }

    // The phone comes straight back with its old cookie: a visitor where visitors may read,
    // refused where they may not.
    const again = await joinRoom(publicRoom, { ...ana, cookie: phone });
    expect(again.of("ready")[0]?.room.canWrite).toBe(false);
    again.send({ type: "send", clientId: "stale", body: "from a stale session" });
    const refused = await again.next("error");
    expect(refused).toMatchObject({ code: "forbidden", clientId: "stale" });
    expect((await upgrade(privateRoom, { cookie: phone })).status).toBe(401);

    // The laptop's fresh cookie (the new version) writes in both, its old socket untouched.
    for (const roomId of [publicRoom, privateRoom]) {
      const socket = await joinRoom(roomId, { ...ana, cookie: fresh });
      expect(socket.of("ready")[0]?.room.canWrite).toBe(true);
    }
    for (const socket of laptopSockets) expect(socket.closed).toBeNull();
  });

  it("403 when the current password is wrong, and nothing changes", async () => {
    const ben = await signUp();
    const other = await logIn(ben.user.name);
    const response = await change(ben.cookie, "not my password", "whatever else");
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe("currentPassword");
    expect((await api("/api/me", { cookie: other })).status).toBe(200);
    await logIn(ben.user.name);
  });

  it("validates the new password like sign-up does", async () => {
    const cat = await signUp();
    const response = await change(cat.cookie, PASSWORD, "short");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe("newPassword");
  });
});
