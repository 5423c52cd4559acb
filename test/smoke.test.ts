import { describe, expect, it } from "vitest";
import { api, query } from "./helpers.ts";

describe("smoke", () => {
  it("health", async () => {
    const r = await api("/api/health");
    expect(await r.json()).toEqual({ ok: true, database: "up" });
    expect(await query("select id from rooms")).toContainEqual({ id: "general" });
  });
});
