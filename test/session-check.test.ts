// `GET /api/session`: what the web app asks on every page load. A visitor is an ordinary
// answer (200, no user), not an error: a 401 there is logged in every visitor's console
// (Lighthouse's "errors-in-console") though nothing went wrong.
import { describe, expect, it } from "vitest";
import { api, guestSession, signUp } from "./helpers.ts";

async function sessionOf(cookie?: string) {
  const response = await api("/api/session", cookie ? { cookie } : {});
  return {
    status: response.status,
    cache: response.headers.get("Cache-Control"),
    body: await response.json(),
  };
}

describe("the session check", () => {
  it("answers a visitor 200 with no user, never cached", async () => {
    expect(await sessionOf()).toEqual({ status: 200, cache: "no-store", body: { user: null } });
  });

  it("names the signed-in account, as GET /api/me does", async () => {
    const ana = await signUp();
    const me = await (await api("/api/me", { cookie: ana.cookie })).json();
    expect(await sessionOf(ana.cookie)).toMatchObject({ status: 200, body: me });
    expect(me).toEqual({ user: { id: ana.user.id, username: ana.user.name, guest: false } });
  });

  it("names a guest as a guest", async () => {
    const guest = await guestSession();
    expect((await sessionOf(guest.cookie)).body).toEqual({
      user: { id: guest.user.id, username: guest.user.name, guest: true },
    });
  });

  it("answers no user once the session has ended, whatever the cookie says", async () => {
    const ana = await signUp();
    const logout = await api("/api/auth/logout", { method: "POST", cookie: ana.cookie });
    expect(logout.status).toBeLessThan(300);
    expect(await sessionOf(ana.cookie)).toMatchObject({ status: 200, body: { user: null } });
  });
});
