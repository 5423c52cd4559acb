// Item 14 of issue 15: a malformed id in a path is a 4xx with the API's error shape,
// never a 500 (a Postgres "invalid input syntax for type uuid", a NUL byte in a query).
// The routes come from the Hono app itself, so a route added later is walked too.
import { beforeAll, describe, expect, it } from "vitest";
import app from "../../worker/index.ts";
import { api, befriend, createPrivateRoom, type Session, signUp } from "../helpers.ts";

/** Path segments an attacker or a broken client might send where an id belongs. */
const MALFORMED = [
  "not-a-uuid",
  "x".repeat(2_000),
  "%00",
  "a%00b",
  "%E2%80%AEevil",
  "%C3%A9t%C3%A9",
  "%F0%9F%92%A5",
  "%FF%FE",
  "..",
  "...",
  "%2E%2E",
  "%2F",
  "%20",
  "%09",
  "-",
  "'%20or%201=1--",
  "00000000-0000-0000-0000-00000000000g",
  "00000000-0000-0000-0000-0000000000000",
  "%7B%7D",
  "null",
];

interface Route {
  method: string;
  path: string;
}

/** Every API route with a parameter in its path, once per method and path. */
function routesWithParams(): Route[] {
  const seen = new Map<string, Route>();
  for (const { method, path } of app.routes) {
    if (method === "ALL" || !path.includes("/:")) continue;
    seen.set(`${method} ${path}`, { method, path });
  }
  return [...seen.values()];
}

let owner: Session;
let friend: Session;
let roomId: string;
let inviteToken: string;

/** A well-formed value for each parameter, so the malformed one is the only thing wrong. */
function wellFormed(path: string, param: string): string {
  if (path.startsWith("/api/rooms/") && param === "id") return roomId;
  if (path.startsWith("/api/friends/requests/") && param === "id") return crypto.randomUUID();
  if (param === "userId") return friend.user.id;
  if (param === "token") return inviteToken;
  if (param === "sid") return crypto.randomUUID();
  throw new Error(`${path}: no well-formed value for :${param}; add its kind to this test`);
}

beforeAll(async () => {
  owner = await signUp();
  friend = await signUp();
  await befriend(owner, friend);
  roomId = await createPrivateRoom(owner, "open sesame");
  const invite = await api(`/api/rooms/${roomId}/invites`, {
    method: "POST",
    cookie: owner.cookie,
    json: {},
  });
  inviteToken = ((await invite.json()) as { token: string }).token;
}, 60_000);

describe("malformed ids in paths", () => {
  const routes = routesWithParams();

  it("walks the app's routes (the list is not empty by mistake)", () => {
    expect(routes.length).toBeGreaterThanOrEqual(18);
  });

  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s: every malformed id is a 4xx with an error body",
    async (_label, route) => {
      const params = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1] ?? "");
      const failures: string[] = [];
      for (const param of params) {
        for (const bad of MALFORMED) {
          const path = route.path.replace(/:(\w+)/g, (_m, name: string) =>
            name === param ? bad : wellFormed(route.path, name),
          );
          const write = route.method !== "GET" && route.method !== "HEAD";
          const response = await api(path, {
            method: route.method,
            cookie: owner.cookie,
            ...(write ? { json: {} } : {}),
          });
          const body = (await response.json().catch(() => null)) as {
            error?: { code?: unknown; message?: unknown };
          } | null;
          const shaped = typeof body?.error?.code === "string" && typeof body.error.message === "string";
          if (response.status < 400 || response.status >= 500 || !shaped) {
            failures.push(`:${param}=${bad.slice(0, 40)} → ${response.status} ${JSON.stringify(body)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    },
    60_000,
  );

  it("the owner's room, member and invite are all still there", async () => {
    const members = await api(`/api/rooms/${roomId}/members`, { cookie: owner.cookie });
    expect(members.status).toBe(200);
    const invite = await api(`/api/invites/${inviteToken}`);
    expect(invite.status).toBe(200);
  });
});

describe("how a malformed id is answered", () => {
  it("a malformed member id: 404 user_not_found, as for an id that names no one", async () => {
    const response = await api(`/api/rooms/${roomId}/members/not-a-uuid`, {
      method: "DELETE",
      cookie: owner.cookie,
    });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("user_not_found");
  });

  it("a malformed invite token: 404 invite_not_found, as for a revoked one", async () => {
    const response = await api("/api/invites/a%00b");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invite_not_found");
  });

  it("a malformed room id: 404 room_not_found", async () => {
    const response = await api("/api/rooms/%E2%80%AEevil", { cookie: owner.cookie });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("room_not_found");
  });
});
