// The web app's routes, and the return path after signing in (never off-site).
import { describe, expect, it } from "vitest";
import {
  loginPathFor as loginPath,
  parseRoute,
  returnPathFrom as returnPath,
  signupPathFor as signupPath,
} from "../../web/src/lib/paths.ts";

describe("routes", () => {
  it("knows the room list, the sign-in form and share links", () => {
    expect(parseRoute("/")).toEqual({ name: "home" });
    expect(parseRoute("/login")).toEqual({ name: "login" });
    expect(parseRoute("/signup")).toEqual({ name: "signup" });
    expect(parseRoute("/rooms")).toEqual({ name: "browse" });
    expect(parseRoute("/r/abc123")).toEqual({ name: "room", roomId: "abc123" });
    expect(parseRoute("/settings/x")).toEqual({ name: "not_found" });
  });
});

describe("signing in comes back to where it started", () => {
  it("carries the page in `next`, except for the room list and the form itself", () => {
    expect(loginPath("/r/abc123")).toBe("/login?next=%2Fr%2Fabc123");
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("/login")).toBe("/login");
    expect(loginPath("/signup")).toBe("/login");
    expect(signupPath("/r/abc123")).toBe("/signup?next=%2Fr%2Fabc123");
    expect(signupPath("/")).toBe("/signup");
    expect(signupPath("/login")).toBe("/signup");
  });

  it("goes back to an in-app path and nowhere else", () => {
    expect(returnPath("?next=%2Fr%2Fabc123")).toBe("/r/abc123");
    expect(returnPath("")).toBe("/");
    for (const evil of [
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example/",
      "javascript:alert(1)",
    ]) {
      expect(returnPath(`?${new URLSearchParams({ next: evil })}`)).toBe("/");
    }
  });
});
