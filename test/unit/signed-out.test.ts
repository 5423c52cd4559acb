import { describe, expect, it } from "vitest";
import { outboxKey } from "../../web/src/lib/outbox.ts";
import { accountKeys, forgetAccount, signedOutMessage } from "../../web/src/lib/signed-out.ts";

describe("signed out from elsewhere", () => {
  it("forgets queued messages, drafts and the last room, and keeps the theme", () => {
    const store = new Map<string, string>([
      [outboxKey("u1", "general"), "[]"],
      ["chattr:draft:general", "half a thought"],
      ["chattr:last-room", "secret-room"],
      ["chattr:theme", "dark"],
    ]);
    const storage = {
      get length() {
        return store.size;
      },
      key: (i: number) => [...store.keys()][i] ?? null,
      removeItem: (key: string) => void store.delete(key),
    };
    forgetAccount(storage);
    expect([...store.keys()]).toEqual(["chattr:theme"]);
  });

  it("picks only the account's keys", () => {
    expect(accountKeys(["chattr:draft:x", "other", "chattr.outbox.v1:a:b"])).toEqual([
      "chattr:draft:x",
      "chattr.outbox.v1:a:b",
    ]);
  });

  it("says why, in words", () => {
    expect(signedOutMessage("password_changed")).toMatch(/because your password was changed/);
    expect(signedOutMessage("signed_out")).toMatch(/signed out from another browser/);
    expect(signedOutMessage(null)).toMatch(/Log in again/);
  });
});
