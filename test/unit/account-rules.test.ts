import { describe, expect, it } from "vitest";
import { COMMON_PASSWORD_RANK } from "../../worker/auth/common-passwords.ts";
import { ACCOUNT_RULES, signupProblems } from "../../worker/protocol/account-rules.ts";

describe("the sign-up rules the form checks before sending", () => {
  it("names every broken field at once, in the server's words", () => {
    expect(signupProblems("a!", "short")).toEqual({
      username: "Username must be 3–32 characters of a–z, 0–9 and _.",
      password: "Password must be at least 8 characters.",
    });
  });

  it("reads the username as the server does (trimmed, any case) and checks the password against it", () => {
    expect(signupProblems(" Mallory ", "mallory123")).toEqual({
      password: "Password must not contain your username.",
    });
    expect(signupProblems("ana_smith", "correct horse battery")).toEqual({});
  });

  it("the common-password rule names the size of the list the server checks", () => {
    expect(ACCOUNT_RULES.passwordCommon).toContain(COMMON_PASSWORD_RANK.toLocaleString("en"));
  });
});
