import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { displayNameProblem, displayNameSchema, nameSkeleton } from "../../worker/protocol/display-names.ts";

describe("displayNameProblem", () => {
  it.each([
    "Ana",
    "José",
    "Zoë the 2nd",
    "книжный клуб",
    "读书会",
    "مرحبا",
    "שלום עולם",
    "नमस्ते",
    "Tiếng Việt",
    "Ana 👩‍👩‍👧",
    "❤️ fans",
    "1️⃣ first",
    "👍🏽 ok",
    "🏳️‍🌈 pride",
  ])("accepts %j", (name) => {
    expect(displayNameProblem(name.normalize("NFC"))).toBeNull();
  });

  it.each([
    ["\u202Eevil\u202C", "direction"],
    ["a\u202Ab", "direction"],
    ["a\u2066b\u2069", "direction"],
    ["a\u200Eb", "direction"],
    ["a\u061Cb", "direction"],
    ["an\u200Ba", "invisible"],
    ["an\u200Ca", "invisible"],
    ["an\u200Da", "invisible"],
    ["an\u2060a", "invisible"],
    ["an\uFEFFa", "invisible"],
    ["an\u00ADa", "invisible"],
    ["an\u2062a", "invisible"],
    ["\u3164", "invisible"],
    ["a\u115Fb", "invisible"],
    ["a\uFFA0b", "invisible"],
    ["ana\u2800", "invisible"],
    ["ana\u{E0061}", "invisible"],
    ["ana\uFE00", "invisible"],
    ["a\uFE0F", "invisible"], // a presentation selector after a plain letter hides nothing useful
    ["a\u200D\u{1F469}", "invisible"], // a joiner that joins no emoji
    ["a\u034Fb", "invisible"],
    ["tab\there", "control"],
    ["line\u2028break", "control"],
    ["nul\u0000", "broken"],
    ["lone \uD800", "broken"],
    ["Z\u0301\u0302\u0303\u0304\u0305algo", "accents"],
    ["\u0301\u0302", "visible"],
  ])("refuses %j (%s)", (name, why) => {
    expect(displayNameProblem(name)).toContain(why);
  });
});

describe("displayNameSchema", () => {
  const schema = displayNameSchema(8);

  it("trims and puts the name in NFC before measuring it", () => {
    expect(v.parse(schema, "  Jose\u0301  ")).toBe("Jos\u00E9");
    // 8 code units after NFC (9 before) still fits.
    expect(v.parse(schema, "Jose\u0301abc")).toBe("Jos\u00E9abc");
  });

  it("reports the first problem as the issue message", () => {
    const result = v.safeParse(schema, "\u202Eevil");
    expect(result.success).toBe(false);
    expect(result.issues?.[0]?.message).toBe("must not contain characters that change the text direction");
  });
});

describe("nameSkeleton", () => {
  it.each([
    ["MIKE", "mike"],
    ["rnike", "mike"],
    ["rnlke", "mike"],
    ["m\u0456k\u0435", "mike"], // Cyrillic і and е
    ["ｍｉｋｅ", "mike"], // fullwidth
    ["𝐦𝐢𝐤𝐞", "mike"], // mathematical bold
    ["mík\u0301e", "mike"],
    ["m\u200Bike", "mike"],
    ["B0B_1", "bob_l"],
    ["bob l", "bob_l"],
    ["ΑΝΝΑ", "anna"], // Greek capitals
    ["vvendy", "wendy"],
    ["Раурal", "paypal"], // Cyrillic Р, а, у, р
  ])("%j looks like %j", (name, skeleton) => {
    expect(nameSkeleton(name)).toBe(nameSkeleton(skeleton));
  });

  it("keeps names that look different apart", () => {
    expect(nameSkeleton("mike")).not.toBe(nameSkeleton("mika"));
    expect(nameSkeleton("ana_b")).not.toBe(nameSkeleton("anab"));
  });

  it("for a username, is the username_skeleton column's SQL done in JS", () => {
    // translate(username, '01i', 'oll'), then rn→m, then vv→w (drizzle/schema.ts). The
    // column itself is checked against nameSkeleton in test/abuse/accounts.test.ts.
    const translate: Record<string, string> = { "0": "o", "1": "l", i: "l" };
    const sqlSkeleton = (username: string) =>
      username
        .replace(/[01i]/g, (c) => translate[c] ?? c)
        .replaceAll("rn", "m")
        .replaceAll("vv", "w");
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9_]{3,32}$/), (username) => {
        expect(nameSkeleton(username)).toBe(sqlSkeleton(username));
      }),
    );
    for (const username of ["rnrn", "vvv", "rrnn", "i0i1", "ivv_rn1"]) {
      expect(nameSkeleton(username)).toBe(sqlSkeleton(username));
    }
  });
});
