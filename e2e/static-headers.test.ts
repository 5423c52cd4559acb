// What a browser gets for the web app itself, which the platform serves from dist/web
// with web/public/_headers (the Worker never sees these requests, so only a real
// `wrangler dev` can show it): HSTS and the page's security headers on the HTML of every
// route and on the hashed assets, as the API's answers already have.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../scripts/dev-server.ts";
import { freePort } from "../scripts/lib/free-port.ts";

const dir = mkdtempSync(join(tmpdir(), "chattr-headers-"));
let server: DevServer;

beforeAll(async () => {
  server = await startDevServer({
    port: await freePort(),
    sessionSecret: randomBytes(32).toString("base64url"),
    persistTo: join(dir, "wrangler"),
  });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const HSTS = /^max-age=\d{7,}; includeSubDomains$/;

describe("headers on the web app's static files", () => {
  it.each([
    ["the app's page", "/"],
    ["a client-side route", "/r/general"],
    ["an invite link", "/invite/abc"],
  ])("%s (HTML) carries HSTS and the page's policy", async (_label, path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(response.headers.get("Strict-Transport-Security")).toMatch(HSTS);
    expect(response.headers.get("Content-Security-Policy")).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });

  it("a hashed asset carries HSTS", async () => {
    const page = await (await fetch(`${server.url}/`)).text();
    const asset = /\/assets\/[^"]+\.js/.exec(page)?.[0];
    expect(asset).toBeDefined();
    const response = await fetch(`${server.url}${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/javascript/);
    expect(response.headers.get("Strict-Transport-Security")).toMatch(HSTS);
  });

  it("robots.txt is plain text for crawlers, not the app's page", async () => {
    const response = await fetch(`${server.url}/robots.txt`);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/plain/);
    const body = await response.text();
    expect(body).toMatch(/^User-agent: \*$/m);
    expect(body).not.toMatch(/<html/i);
  });

  it("the app's page describes itself to search engines", async () => {
    const page = await (await fetch(`${server.url}/`)).text();
    expect(page).toMatch(/<meta\s+name="description"\s+content="[^"]{50,160}"/);
  });

  it("the API's answers carry the same HSTS", async () => {
    const response = await fetch(`${server.url}/api/health`);
    expect(response.headers.get("Strict-Transport-Security")).toMatch(HSTS);
  });
});
