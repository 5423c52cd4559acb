import { describe, expect, it } from "vitest";
import { api, query } from "./helpers.ts";

describe("health", () => {
  it("reports that the Worker is up and the database answers", async () => {
    const response = await api("/api/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: "up" });
  });

  it("the migrations created the built-in general room", async () => {
    expect(await query("select id, name, visibility from rooms where id = 'general'")).toEqual([
      { id: "general", name: "general", visibility: "public" },
    ]);
  });

  it("unknown API routes get a JSON 404", async () => {
    const response = await api("/api/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
  });
});
