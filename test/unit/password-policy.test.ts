import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commonPasswordsModule } from "../../scripts/passwords/common-passwords-source.ts";
import { passwordProblem } from "../../worker/auth/password-policy.ts";

describe("passwordProblem", () => {
  it.each(["password", "12345678", "iloveyou", "PassWord", "qwertyuiop", "1qaz2wsx", "trustno1"])(
    "refuses the common password %j",
    (password) => {
      expect(passwordProblem(password, "ana")).toBe(
        "is one of the 10,000 most common passwords; choose another",
      );
    },
  );

  it("refuses a password that contains the username, in any case", () => {
    expect(passwordProblem("mallory1", "mallory")).toBe("must not contain your username");
    expect(passwordProblem("I am MALLORY!", "mallory")).toBe("must not contain your username");
  });

  it("refuses passwords under 8 characters and over 256", () => {
    expect(passwordProblem("Xq7#mZ2", "ana")).toBe("must be at least 8 characters");
    expect(passwordProblem("x".repeat(257), "ana")).toBe("must be at most 256 characters");
  });

  it.each(["correct horse battery", "a much better passphrase", "Xq7#mZ2!", "p".repeat(256)])(
    "accepts %j",
    (password) => {
      expect(passwordProblem(password, "ana_smith")).toBeNull();
    },
  );

  it("the shipped list is what the generator makes from the installed @zxcvbn-ts/language-common", () => {
    const shipped = readFileSync(new URL("../../worker/auth/common-passwords.ts", import.meta.url), "utf8");
    // If this fails after an upgrade: `npm run passwords:generate`.
    expect(shipped).toBe(commonPasswordsModule());
  });
});
