// Names people choose for themselves (guests) and for rooms must show what they are: no
// characters that reorder the text around them, none that render as nothing, and one
// Unicode form, so two names that look the same are the same string. Guests' names are
// also compared against usernames by their "skeleton" (see `nameSkeleton`) so a guest
// cannot pass for an account. Pure: the Worker's schemas and the unit tests use it.
import * as v from "valibot";
import { isStorableText } from "./room-protocol.ts";

/** Controls and line breaks: names are shown on one line everywhere. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u;

/**
 * Bidi_Control is exactly the characters that change text direction: U+061C, U+200E,
 * U+200F, U+202A–202E and U+2066–2069. `\u202Eevil` renders as "live".
 */
const DIRECTION = /\p{Bidi_Control}/u;

/**
 * Characters that render as nothing or as blank space that is not a space: format
 * characters (zero-width space and joiners, soft hyphen, BOM, invisible operators, tag
 * characters), the default-ignorable set (Hangul fillers U+115F/U+1160/U+3164/U+FFA0,
 * variation selectors, Mongolian selectors, …) and the braille blank U+2800, which fonts
 * draw empty.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;

/**
 * The two invisible characters emoji need, which are allowed where they do that job:
 * ZWJ between two pictographs (👩‍👩‍👧), and the text/emoji presentation selectors after
 * an emoji (❤️). Anywhere else they are refused as invisible.
 */
const EMOJI_JOINER =
  /(?<=\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})|(?<=\p{Emoji})[\uFE0E\uFE0F]/gu;

/** More than four marks on one letter is "zalgo" text that spills over neighbouring lines. */
const STACKED_MARKS = /\p{M}{5}/u;

/** Something must show: a name of only spaces and combining marks renders as blank. */
const NOTHING_VISIBLE = /^[\p{M}\p{Z}]*$/u;

/** Why a (trimmed, NFC) name cannot be used, as a phrase after the field's name; or null. */
export function displayNameProblem(name: string): string | null {
  if (!isStorableText(name)) return "must not contain broken characters";
  if (CONTROL.test(name)) return "must not contain control characters or line breaks";
  if (DIRECTION.test(name)) return "must not contain characters that change the text direction";
  if (INVISIBLE.test(name.replace(EMOJI_JOINER, ""))) return "must not contain invisible characters";
  if (STACKED_MARKS.test(name)) return "must not stack more than four accents on one letter";
  if (NOTHING_VISIBLE.test(name)) return "must contain a visible character";
  return null;
}

/**
 * A name as people enter it: trimmed, in NFC (so "é" typed as e + accent and as one
 * character are one name), then checked. `maxLength` counts UTF-16 code units, as the
 * web app's `maxlength` does.
 */
export function displayNameSchema(maxLength: number) {
  return v.pipe(
    v.string("is required"),
    v.trim(),
    v.transform((name) => name.normalize("NFC")),
    v.minLength(1, "must not be empty"),
    v.maxLength(maxLength, `must be at most ${maxLength} characters`),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const problem = displayNameProblem(dataset.value);
      if (problem) addIssue({ message: problem });
    }),
  );
}

/**
 * Letters that look like others, mapped to one representative. After case folding and
 * NFKD, what remains to catch is lookalikes from other scripts (Cyrillic, Greek,
 * Armenian) and within Latin (0/o, 1/l/I). Usernames are `a-z 0-9 _`, so every entry's
 * target is a Latin letter; `i` maps to `l` because a capital I folds to i but looks like l.
 */
const CONFUSABLE: Record<string, string> = {
  "0": "o",
  "1": "l",
  i: "l",
  "|": "l",
  ı: "l",
  ǀ: "l",
  // Cyrillic
  а: "a",
  г: "r",
  е: "e",
  з: "3",
  і: "l",
  ј: "j",
  к: "k",
  м: "m",
  о: "o",
  п: "n",
  р: "p",
  с: "c",
  у: "y",
  х: "x",
  ь: "b",
  ѕ: "s",
  һ: "h",
  ӏ: "l",
  ԁ: "d",
  ԛ: "q",
  ԝ: "w",
  ѵ: "v",
  // Greek
  α: "a",
  γ: "y",
  ε: "e",
  η: "n",
  ι: "l",
  κ: "k",
  ν: "v",
  ο: "o",
  ρ: "p",
  τ: "t",
  υ: "u",
  χ: "x",
  ω: "w",
  // Armenian
  օ: "o",
  ս: "u",
  հ: "h",
  ո: "n",
  ց: "g",
  // Latin letters from other blocks that NFKD keeps apart
  ɑ: "a",
  ɡ: "g",
  ɩ: "l",
  ʏ: "y",
};

/**
 * Capitals that look like a Latin capital but fold to a letter that does not look like
 * the Latin small one (Greek Ν folds to ν, which reads as v): mapped before folding.
 */
const CONFUSABLE_CAPITAL: Record<string, string> = {
  // Greek
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
  // Cyrillic
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  Х: "X",
  І: "I",
  Ј: "J",
  Ѕ: "S",
};

/** Letter pairs that read as one letter in most fonts. */
const PAIRS: [string, string][] = [
  ["rn", "m"],
  ["vv", "w"],
];

/**
 * What a name looks like, for telling whether two names could be mistaken for each
 * other: case folded, compatibility forms unified (fullwidth, mathematical letters),
 * accents and invisible characters dropped, lookalike letters mapped, spaces read as `_`.
 *
 * For a username (`a-z 0-9 _`) this is exactly the `username_skeleton` column's SQL in
 * drizzle/schema.ts (translate 0→o, 1→l, i→l, then rn→m, vv→w); a test holds them equal.
 */
export function nameSkeleton(name: string): string {
  const capitals = name.normalize("NFKD").replace(/./gu, (char) => CONFUSABLE_CAPITAL[char] ?? char);
  const folded = capitals.toLowerCase().normalize("NFKD");
  let mapped = "";
  for (const char of folded.replace(/[\p{M}\p{Default_Ignorable_Code_Point}\p{Cf}]/gu, "")) {
    mapped += /\s/u.test(char) ? "_" : (CONFUSABLE[char] ?? char);
  }
  return PAIRS.reduce((text, [pair, letter]) => text.replaceAll(pair, letter), mapped);
}
