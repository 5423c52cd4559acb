// Generated avatars: initials on a colour derived from the user's id, the same colour on
// every screen and visit. Each theme gets its own shade of that hue, picked so the
// initials keep WCAG AA contrast (4.5:1) on it: white initials on a deep shade in the
// light theme, dark initials on a light shade in the dark theme. Pure, unit-tested.

/** The initials' colours, one per theme (see styles/avatar.css). */
export const AVATAR_TEXT = { light: "#ffffff", dark: "#111418" } as const;
/** A little above 4.5, so rounding to hex never lands a shade just under AA. */
const TARGET_CONTRAST = 4.6;

export interface AvatarLook {
  initials: string;
  /** Background for the light theme (white initials). */
  light: string;
  /** Background for the dark theme (dark initials). */
  dark: string;
}

/** FNV-1a: a small, stable string hash (ids are uuids or slugs, nothing adversarial to spread). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const value = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(value * 255)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}

function luminance(hex: string): number {
  const value = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

/** The shade of `hue` nearest `start` lightness (moving by `step`) that keeps AA against `text`. */
function shade(hue: number, saturation: number, start: number, step: number, text: string): string {
  for (let l = start; l >= 0 && l <= 1; l += step) {
    const colour = hslToHex(hue, saturation, l);
    if (contrastRatio(colour, text) >= TARGET_CONTRAST) return colour;
  }
  return step < 0 ? "#000000" : "#ffffff";
}

/**
 * Up to two letters: the first of the name, and the first of its second word when that
 * is a letter ("Ann Lee" → "AL"; "alice_3f9a" → "A", not "A3").
 */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/[\s._-]+/u)
    .filter(Boolean);
  const first = (word: string | undefined) => (word ? (Array.from(word)[0] ?? "") : "");
  const second = first(words[1]);
  const letters = first(words[0]) + (/^\p{L}$/u.test(second) ? second : "");
  return letters.toLocaleUpperCase() || "?";
}

/** The two colours of each hue, found once: searching for contrast is the costly part of a look. */
const coloursByHue = new Map<number, { light: string; dark: string }>();

function coloursOf(hue: number): { light: string; dark: string } {
  let colours = coloursByHue.get(hue);
  if (!colours) {
    colours = {
      light: shade(hue, 0.55, 0.45, -0.02, AVATAR_TEXT.light),
      dark: shade(hue, 0.6, 0.66, 0.02, AVATAR_TEXT.dark),
    };
    coloursByHue.set(hue, colours);
  }
  return colours;
}

export function avatarLook(id: string, name: string): AvatarLook {
  return { initials: initials(name), ...coloursOf(hash(id) % 360) };
}
