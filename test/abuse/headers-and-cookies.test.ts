// Item 13 of issue 15: what a browser gets back. HSTS on every response (the web app's
// HTML and assets too, not only the API), the session cookie locked to the https origin
// with the `__Host-` prefix, and personal data never cached.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, sessionCookie, signUp, uniqueName, upgrade } from "../helpers.ts";

const HTTPS_ORIGIN = "https://chattr.test";

/** A request as the web app would send it over https. */
function overHttps(path: string, init: RequestInit & { cookie?: string; json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  headers.set("Origin", HTTPS_ORIGIN);
  headers.set(
    "CF-Connecting-IP",
    `10.13.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}`,
  );
  if (init.cookie) headers.set("Cookie", init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  return exports.default.fetch(`${HTTPS_ORIGIN}${path}`, { ...init, headers, body });
}

// HTML and assets are served by the platform, not the Worker: e2e/static-headers.test.ts.
describe("Strict-Transport-Security", () => {
  it("is on the API's answers", async () => {
    const response = await api("/api/health");
    expect(response.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d{7,}/);
  });
});

/** The `name=value` of every cookie a response sets, by name. */
function cookiesSet(response: Response): Map<string, string> {
  return new Map(
    response.headers.getSetCookie().map((line) => {
      const [pair = ""] = line.split(";");
      const at = pair.indexOf("=");
      return [pair.slice(0, at), line] as const;
    }),
  );
}

async function signUpOverHttps() {
  const response = await overHttps("/api/auth/signup", {
    method: "POST",
    json: { username: uniqueName(), password: "correct horse battery" },
  });
  expect(response.status).toBe(201);
  return response;
}

describe("the session cookie over https", () => {
  it("is __Host-chattr_session: Secure, Path=/, no Domain, HttpOnly", async () => {
    const set = cookiesSet(await signUpOverHttps());
    expect([...set.keys()]).toEqual(["__Host-chattr_session"]);
    const line = set.get("__Host-chattr_session") ?? "";
    expect(line).toMatch(/; Secure/i);
    expect(line).toMatch(/; Path=\/(;|$)/i);
    expect(line).toMatch(/; HttpOnly/i);
    expect(line).toMatch(/; SameSite=Lax/i);
    expect(line).not.toMatch(/Domain=/i);
  });

  it("signs the user in over https, on HTTP and on the hub socket", async () => {
    const cookie = sessionCookie(await signUpOverHttps());
    expect(cookie).toMatch(/^__Host-chattr_session=./);
    expect((await overHttps("/api/me", { cookie })).status).toBe(200);
    const hub = await exports.default.fetch(`${HTTPS_ORIGIN}/api/me/ws`, {
      headers: { Upgrade: "websocket", Origin: HTTPS_ORIGIN, Cookie: cookie },
    });
    expect(hub.status).toBe(101);
    hub.webSocket?.accept();
    hub.webSocket?.close(1000, "done");
  });

  it("ignores a bare chattr_session cookie (one a plain-http attacker could have planted)", async () => {
    // The attacker's own, perfectly valid session, tossed into the victim's browser under
    // the unprefixed name from http:// or a sibling subdomain.
    const attacker = await signUp();
    expect(attacker.cookie).toMatch(/^chattr_session=./);
    const response = await overHttps("/api/me", { cookie: attacker.cookie });
    expect(response.status).toBe(401);
    // Beside the real one, the planted cookie does not win either.
    const victim = sessionCookie(await signUpOverHttps());
    const both = await overHttps("/api/me", { cookie: `${attacker.cookie}; ${victim}` });
    const { user } = (await both.json()) as { user: { username: string } };
    expect(user.username).not.toBe(attacker.user.name);
  });

  it("log-out expires the __Host- cookie", async () => {
    const cookie = sessionCookie(await signUpOverHttps());
    const response = await overHttps("/api/auth/logout", { method: "POST", cookie, json: {} });
    expect(response.status).toBe(204);
    expect(cookiesSet(response).get("__Host-chattr_session")).toMatch(/^__Host-chattr_session=;.*Max-Age=0/i);
  });
});

describe("the session cookie over plain http (local development)", () => {
  it("keeps the bare name, without Secure, and works", async () => {
    const response = await api("/api/auth/signup", {
      method: "POST",
      json: { username: uniqueName(), password: "correct horse battery" },
    });
    const set = cookiesSet(response);
    expect([...set.keys()]).toEqual(["chattr_session"]);
    expect(set.get("chattr_session")).not.toMatch(/Secure/i);
    expect((await api("/api/me", { cookie: sessionCookie(response) })).status).toBe(200);
  });
});

describe("Cache-Control: no-store on the API", () => {
  it.each(["/api/me", "/api/friends", "/api/rooms", "/api/me/rooms"])("%s, signed in", async (path) => {
    const { cookie } = await signUp();
    const response = await api(path, { cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it.each([
    ["401", () => api("/api/me")],
    ["404, an unknown route", () => api("/api/nothing-here")],
    ["404, a room", () => api("/api/rooms/no-such-room")],
    [
      "403, a foreign Origin",
      () => api("/api/auth/logout", { method: "POST", headers: { Origin: "https://evil.example" } }),
    ],
    [
      "415, a form body",
      () => api("/api/auth/logout", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }),
    ],
    [
      "413, a huge body",
      () => api("/api/auth/logout", { method: "POST", json: { pad: "x".repeat(20_000) } }),
    ],
    ["426, a socket path without Upgrade", () => api("/api/rooms/general/ws")],
    ["403, a socket from a foreign Origin", () => upgrade("general", { origin: "https://evil.example" })],
    ["404, a socket to no room", () => upgrade("no-such-room")],
  ])("an error: %s", async (_label, send) => {
    const response = await send();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("a socket refused for a visitor in a private room", async () => {
    const owner = await signUp();
    const created = await api("/api/rooms", {
      method: "POST",
      cookie: owner.cookie,
      json: { name: uniqueName("secret"), visibility: "private", password: "open sesame" },
    });
    const { room } = (await created.json()) as { room: { id: string } };
    const response = await upgrade(room.id);
    expect(response.status).toBe(401);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
