import { describe, expect, it } from "vitest";
import { api, signUp, uniqueName } from "./helpers.ts";

interface Room {
  id: string;
  name: string;
  visibility: string;
}

describe("rooms", () => {
  it("lists public rooms with general first, to visitors too", async () => {
    const response = await api("/api/rooms");
    expect(response.status).toBe(200);
    const { rooms } = (await response.json()) as { rooms: Room[] };
    expect(rooms[0]).toMatchObject({ id: "general", name: "general", visibility: "public" });
  });

  it("lets a signed-in user create a public room, trimming its name", async () => {
    const ana = await signUp();
    const name = uniqueName("Book club");
    const response = await api("/api/rooms", {
      method: "POST",
      cookie: ana.cookie,
      json: { name: `  ${name}  `, visibility: "public" },
    });
    expect(response.status).toBe(201);
    const { room } = (await response.json()) as { room: Room };
    expect(room).toMatchObject({ name, visibility: "public", member: true, owner: true });
    expect(room.id).toMatch(/^[a-z0-9]{12}$/);

    const { rooms } = (await (await api("/api/rooms")).json()) as { rooms: Room[] };
    expect(rooms).toContainEqual({
      id: room.id,
      name,
      visibility: "public",
      online: 0,
      unread: 0,
      latestAt: null,
      // Listed for a visitor (no cookie): not theirs.
      member: false,
      owner: false,
    });
    expect(await (await api(`/api/rooms/${room.id}`, { cookie: ana.cookie })).json()).toEqual({ room });
  });

  it("refuses visitors with 401", async () => {
    const response = await api("/api/rooms", {
      method: "POST",
      json: { name: "nope", visibility: "public" },
    });
    expect(response.status).toBe(401);
  });

  it.each([
    [{ name: "   ", visibility: "public" }, "name"],
    [{ name: "x".repeat(65), visibility: "public" }, "name"],
    [{ visibility: "public" }, "name"],
    [{ name: "secret club", visibility: "private" }, "password"],
    [{ name: "secret club", visibility: "private", password: "abc" }, "password"],
    [{ name: "odd", visibility: "hidden" }, "visibility"],
  ])("rejects %j with 400 naming the field", async (body, field) => {
    const ana = await signUp();
    const response = await api("/api/rooms", { method: "POST", cookie: ana.cookie, json: body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field: string } }).error.field).toBe(field);
  });

  it("accepts a 64-character name", async () => {
    const ana = await signUp();
    const response = await api("/api/rooms", {
      method: "POST",
      cookie: ana.cookie,
      json: { name: "n".repeat(64), visibility: "public" },
    });
    expect(response.status).toBe(201);
  });

  it("404 for an unknown room", async () => {
    expect((await api("/api/rooms/does-not-exist")).status).toBe(404);
  });
});
