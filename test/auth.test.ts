import { createExecutionContext, env } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import app from "../worker/index.ts";
import { api, ORIGIN, query, sessionCookie, signUp, uniqueName } from "./helpers.ts";

const PASSWORD = "correct horse battery";

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string; field?: string } }).error;
}

describe("sign-up", () => {
  it("creates the account, folds the name to lower case and sets an HttpOnly SameSite=Lax cookie", async () => {
    const name = uniqueName("Ana");
    const response = await api("/api/auth/signup", {
      method: "POST",
      json: { username: name.toUpperCase(), password: PASSWORD },
    });
    expect(response.status).toBe(201);
    const { user } = (await response.json()) as { user: { id: string; name: string; guest: boolean } };
    expect(user).toMatchObject({ name: name.toLowerCase(), guest: false });

    const cookie = response.headers.get("Set-Cookie") ?? "";
    expect(cookie).toMatch(/chattr_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http in tests; https adds Secure

    const me = await api("/api/me", { cookie: sessionCookie(response) });
    expect(await me.json()).toEqual({ user: { id: user.id, username: name.toLowerCase(), guest: false } });

    const [row] = await query<{ password_hash: string }>("select password_hash from users where id = $1", [
      user.id,
    ]);
    expect(row?.password_hash).toMatch(
      /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
  });

  it.each([
    [{ username: "ab", password: PASSWORD }, "username"],
    [{ username: "has space", password: PASSWORD }, "username"],
    [{ username: "x".repeat(33), password: PASSWORD }, "username"],
    [{ username: "émile", password: PASSWORD }, "username"],
    [{ username: uniqueName(), password: "short" }, "password"],
    [{ username: uniqueName(), password: "p".repeat(257) }, "password"],
    [{ password: PASSWORD }, "username"],
    [{ username: uniqueName() }, "password"],
  ])("rejects %j with 400 naming the field", async (body, field) => {
    const response = await api("/api/auth/signup", { method: "POST", json: body });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_input");
    expect(error.field).toBe(field);
    expect(error.message).toContain(field);
  });

  it("accepts passwords of exactly 8 and 256 characters", async () => {
    for (const password of ["p".repeat(8), "p".repeat(256)]) {
      const response = await api("/api/auth/signup", {
        method: "POST",
        json: { username: uniqueName(), password },
      });
      expect(response.status).toBe(201);
    }
  });

  it("refuses a taken username in any case with 409", async () => {
    const { user } = await signUp();
    const response = await api("/api/auth/signup", {
      method: "POST",
      json: { username: user.name.toUpperCase(), password: PASSWORD },
    });
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toMatchObject({ code: "username_taken", field: "username" });
  });

  it("answers malformed JSON with 400 and creates nothing", async () => {
    const response = await api("/api/auth/signup", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: '{"username": "bob_json", ',
    });
    expect(response.status).toBe(400);
    expect(await query("select 1 from users where username = 'bob_json'")).toHaveLength(0);
  });
});

describe("log-in and log-out", () => {
  it("logs in with the right password in any letter case", async () => {
    const { user } = await signUp();
    const response = await api("/api/auth/login", {
      method: "POST",
      json: { username: user.name.toUpperCase(), password: PASSWORD },
    });
    expect(response.status).toBe(200);
    const me = await api("/api/me", { cookie: sessionCookie(response) });
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(user.id);
  });

  it("gives the same 401 for a wrong password and an unknown user", async () => {
    const { user } = await signUp();
    const wrong = await api("/api/auth/login", {
      method: "POST",
      json: { username: user.name, password: "wrong password" },
    });
    const unknown = await api("/api/auth/login", {
      method: "POST",
      json: { username: uniqueName(), password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const [a, b] = [await errorOf(wrong), await errorOf(unknown)];
    expect(a).toEqual(b);
    expect(a.code).toBe("invalid_credentials");
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
  });

  it("answers 429 from the sixth attempt after five failures in a minute, even with the right password", async () => {
    const { user } = await signUp();
    for (let i = 0; i < 5; i++) {
      const response = await api("/api/auth/login", {
        method: "POST",
        json: { username: user.name, password: `wrong ${i}!!` },
      });
      expect(response.status).toBe(401);
    }
    const blocked = await api("/api/auth/login", {
      method: "POST",
      json: { username: user.name, password: PASSWORD },
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await errorOf(blocked)).code).toBe("rate_limited");
    // Another account is unaffected.
    const other = await signUp();
    const ok = await api("/api/auth/login", {
      method: "POST",
      json: { username: other.user.name, password: PASSWORD },
    });
    expect(ok.status).toBe(200);
  });

  it("limits hashing requests per client address", async () => {
    const address = "192.0.2.77";
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const response = await api("/api/auth/login", {
        method: "POST",
        headers: { "CF-Connecting-IP": address },
        json: { username: uniqueName(), password: "whatever pass" },
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  }, 60_000);

  it("logs out by expiring the cookie", async () => {
    const { cookie } = await signUp();
    const response = await api("/api/auth/logout", { method: "POST", cookie, json: {} });
    expect(response.status).toBe(204);
    expect(response.headers.get("Set-Cookie")).toMatch(/chattr_session=;.*Max-Age=0/i);
  });
});

describe("sessions", () => {
  const secret = new TextEncoder().encode(env.SESSION_SECRET);
  // Every claim right but the one under test, for the account `subject`.
  const forge = (
    claims: { iss?: string; aud?: string; exp?: number; sv?: number },
    key = secret,
    subject = crypto.randomUUID(),
  ) =>
    new SignJWT({ name: "mallory", guest: false, sid: "forged", sv: claims.sv ?? 0 })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(subject)
      .setIssuer(claims.iss ?? "chattr")
      .setAudience(claims.aud ?? "chattr-web")
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 60)
      .sign(key);

  it("401 without a session", async () => {
    const response = await api("/api/me");
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe("unauthenticated");
  });

  it.each([
    ["expired", () => forge({ exp: Math.floor(Date.now() / 1000) - 10 })],
    ["wrong issuer", () => forge({ iss: "someone-else" })],
    ["wrong audience", () => forge({ aud: "another-app" })],
    ["wrong key", () => forge({}, new TextEncoder().encode("a-different-secret-of-enough-length-0000"))],
    [
      "alg none",
      async () =>
        `${btoa(JSON.stringify({ alg: "none" }))}.${btoa(JSON.stringify({ sub: "x", name: "x" }))}.`,
    ],
    ["garbage", async () => "not-a-token"],
  ])("refuses a token that is %s", async (_label, make) => {
    const response = await api("/api/me", { cookie: `chattr_session=${await make()}` });
    expect(response.status).toBe(401);
  });

  it("control: the same forging, with every claim right and the server's key, is accepted", async () => {
    const { user } = await signUp();
    const token = await forge({}, secret, user.id);
    expect((await api("/api/me", { cookie: `chattr_session=${token}` })).status).toBe(200);
    // …and a stale session version is not.
    const stale = await forge({ sv: 7 }, secret, user.id);
    expect((await api("/api/me", { cookie: `chattr_session=${stale}` })).status).toBe(401);
  });

  it("a deployment without SESSION_SECRET answers 500 and logs why, instead of using a default", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(" "));
    try {
      const request = new Request(`${ORIGIN}/api/me`, { headers: { Cookie: "chattr_session=abc" } });
      const response = await app.fetch(
        request,
        { ...env, SESSION_SECRET: undefined },
        createExecutionContext(),
      );
      expect(response.status).toBe(500);
      expect((await errorOf(response)).code).toBe("misconfigured");
    } finally {
      console.error = original;
    }
    expect(errors.join("\n")).toMatch(/SESSION_SECRET is not set/);
  });
});

describe("cross-site protection", () => {
  it.each([
    ["no Origin", { "Content-Type": "application/json" }, 403],
    ["a foreign Origin", { Origin: "https://evil.example", "Content-Type": "application/json" }, 403],
    ["a form body", { Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" }, 415],
  ])("refuses a state-changing request with %s", async (_label, headers, status) => {
    const name = uniqueName();
    const request = new Request(`${ORIGIN}/api/auth/signup`, {
      method: "POST",
      headers,
      body: JSON.stringify({ username: name, password: PASSWORD }),
    });
    const response = await app.fetch(request, env, createExecutionContext());
    expect(response.status).toBe(status);
    expect(await query("select 1 from users where username = $1", [name])).toHaveLength(0);
  });

  it("refuses bodies over 16 KiB with 413", async () => {
    const response = await api("/api/auth/signup", {
      method: "POST",
      json: { username: uniqueName(), password: "p".repeat(20_000) },
    });
    expect(response.status).toBe(413);
  });

  it("sends defensive headers on API responses", async () => {
    const response = await api("/api/health");
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });
});
