// Links in a message body: linkifyjs finds them (web addresses, bare domains, email
// addresses), and this splits the body into plain text and links, keeping only http(s)
// and mailto targets. The view builds real <a> elements from the pieces; nothing is ever
// parsed as HTML. Pure, unit-tested in Node: linkifyjs's `find` comes in as a parameter,
// because the app loads it only once a message might hold a link (use-linkifier.ts).

/** linkifyjs's `find`, as much of it as this uses. */
export type FindLinks = (text: string) => { isLink: boolean; href: string; start: number; end: number }[];

/**
 * Whether `body` might hold a link: every address linkifyjs finds has "://" or a dot
 * followed by two or more characters (a top-level domain). Bodies without either are
 * shown as they are, without loading or running linkifyjs.
 */
export function mightHaveLinks(body: string): boolean {
  return /:\/\/|\.\S{2}/.test(body);
}

export type BodyPiece = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const SAFE_PROTOCOLS: ReadonlySet<string> = new Set(["http:", "https:", "mailto:"]);

/** The href if it is an http(s) or mailto URL, else null (javascript:, data:, file:, ftp:…). */
export function safeHref(href: string): string | null {
  try {
    const url = new URL(href);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

export function linkPieces(body: string, find: FindLinks): BodyPiece[] {
  const pieces: BodyPiece[] = [];
  let at = 0;
  for (const match of find(body)) {
    const href = match.isLink ? safeHref(match.href) : null;
    if (href === null || match.start < at) continue;
    if (match.start > at) pieces.push({ kind: "text", text: body.slice(at, match.start) });
    pieces.push({ kind: "link", text: body.slice(match.start, match.end), href });
    at = match.end;
  }
  if (at < body.length) pieces.push({ kind: "text", text: body.slice(at) });
  return pieces;
}
