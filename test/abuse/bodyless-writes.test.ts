// Item 15 of issue 15: a write that carries no body (curl -X DELETE, a script, a bot)
// needs no Content-Type; it still needs the app's Origin. Only a body must be JSON.
import { describe, expect, it } from "vitest";
import { api, createRoom, ORIGIN, signUp } from "../helpers.ts";

async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code;
}

describe("a write without a body, from the app's Origin", () => {
  it("DELETE /api/friends/:userId gets the route's own answer, not 415", async () => {
    const me = await signUp();
    const response = await api(`/api/friends/${crypto.randomUUID()}`, {
      method: "DELETE",
      cookie: me.cookie,
    });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_friends");
  });

  it("DELETE a friend request that is not there: 404, not 415", async () => {
    const me = await signUp();
    const response = await api(`/api/friends/requests/${crypto.randomUUID()}`, {
      method: "DELETE",
      cookie: me.cookie,
    });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("request_not_found");
  });

  it("POST /api/rooms/:id/join to a public room joins", async () => {
    const owner = await signUp();
    const roomId = await createRoom(owner);
    const joiner = await signUp();
    const response = await api(`/api/rooms/${roomId}/join`, { method: "POST", cookie: joiner.cookie });
    expect(response.status).toBe(200);
  });

  it("POST /api/auth/logout logs out", async () => {
    const me = await signUp();
    const response = await api("/api/auth/logout", { method: "POST", cookie: me.cookie });
    expect(response.status).toBe(204);
  });

  it("a route that needs a body says which field is missing (400), not 415", async () => {
    const response = await api("/api/auth/signup", { method: "POST" });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_input");
  });

  it("an explicit Content-Length: 0 counts as no body", async () => {
    const me = await signUp();
    const response = await api("/api/auth/logout", {
      method: "POST",
      cookie: me.cookie,
      headers: { "Content-Length": "0" },
    });
    expect(response.status).toBe(204);
  });
});

describe("a write with a body that is not JSON", () => {
  it.each([
    ["text/plain", "text/plain", "hello"],
    ["a form", "application/x-www-form-urlencoded", "a=1"],
    ["multipart", "multipart/form-data; boundary=x", "--x--"],
  ])("%s: 415", async (_label, type, body) => {
    const me = await signUp();
    const response = await api("/api/auth/logout", {
      method: "POST",
      cookie: me.cookie,
      headers: { "Content-Type": type },
      body,
    });
    expect(response.status).toBe(415);
    expect(await errorCode(response)).toBe("unsupported_media_type");
    // The session was not ended.
    expect((await api("/api/me", { cookie: me.cookie })).status).toBe(200);
  });

  it("bytes without any Content-Type: 415", async () => {
    const me = await signUp();
    const response = await api(`/api/friends/${crypto.randomUUID()}`, {
      method: "DELETE",
      cookie: me.cookie,
      body: new TextEncoder().encode('{"x":1}'),
    });
    expect(response.status).toBe(415);
  });

  it("a streamed body without a length: 415", async () => {
    const me = await signUp();
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("a=1"));
        controller.close();
      },
    });
    const response = await api("/api/auth/logout", {
      method: "POST",
      cookie: me.cookie,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: stream,
    });
    expect(response.status).toBe(415);
  });
});

describe("CSRF still holds for body-less writes", () => {
  it.each([
    ["a foreign Origin", "https://evil.example"],
    ["Origin null", "null"],
    ["a look-alike Origin", `${ORIGIN}.evil.example`],
  ])("%s: 403, and nothing changes", async (_label, origin) => {
    const me = await signUp();
    const response = await api("/api/auth/logout", {
      method: "POST",
      cookie: me.cookie,
      headers: { Origin: origin },
    });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden_origin");
    expect(response.headers.get("Set-Cookie")).toBeNull();
  });

  it("no Origin at all: 403", async () => {
    const me = await signUp();
    const response = await api(`/api/friends/${crypto.randomUUID()}`, {
      method: "DELETE",
      cookie: me.cookie,
      headers: { Origin: "" },
    });
    expect(response.status).toBe(403);
  });
});
