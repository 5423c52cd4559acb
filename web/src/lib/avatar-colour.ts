// Generated avatars: initials on one of a few colours picked by the person's id. Every
// colour holds white text at more than 7:1 (Tailwind's 800 shades), in either theme, as
// the avatar is its own background.
const COLOURS = ["#9a3412", "#854d0e", "#166534", "#115e59", "#1e40af", "#5b21b6", "#9d174d", "#3f3f46"];

/** The same id always gets the same colour. */
export function avatarColour(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return COLOURS[Math.abs(hash) % COLOURS.length] ?? "#3f3f46";
}

/**
 * One or two letters: the first of the name, and the first of its second word when that
 * is a letter ("bob_smith" → "BS", but "alice_83bd" → "A": a number is no one's initial).
 */
export function initials(name: string): string {
  const [first = "", second = ""] = name
    .replace(/[_.-]+/g, " ")
    .trim()
    .split(/\s+/);
  const a = [...first][0] ?? "";
  const b = [...second][0] ?? "";
  return (a + (/\p{L}/u.test(b) ? b : "")).toUpperCase() || "?";
}
