// Paths of the web app, free of the DOM (the unit tests run them in Node).

export type Route =
  | { name: "home" }
  | { name: "login" }
  | { name: "signup" }
  | { name: "browse" }
  | { name: "room"; roomId: string }
  | { name: "settings" }
  | { name: "invite"; token: string }
  | { name: "not_found" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { name: "home" };
  if (pathname === "/login") return { name: "login" };
  if (pathname === "/signup") return { name: "signup" };
  if (pathname === "/rooms" || pathname === "/rooms/") return { name: "browse" };
  if (pathname === "/settings" || pathname === "/settings/") return { name: "settings" };
  const invite = /^\/invite\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  if (invite?.[1]) return { name: "invite", token: invite[1] };
  const room = /^\/r\/([^/]+)\/?$/.exec(pathname);
  if (room?.[1]) {
    try {
      return { name: "room", roomId: decodeURIComponent(room[1]) };
    } catch {
      return { name: "not_found" };
    }
  }
  return { name: "not_found" };
}

export function roomPath(roomId: string): string {
  return `/r/${encodeURIComponent(roomId)}`;
}

/** The sign-in form, coming back to `next` (an in-app path) afterwards. */
export function loginPathFor(next: string): string {
  return next === "/" || next === "/login" || next === "/signup"
    ? "/login"
    : `/login?${new URLSearchParams({ next })}`;
}

/** The sign-up form, coming back to `next` (an in-app path) afterwards. */
export function signupPathFor(next: string): string {
  return next === "/" || next === "/login" || next === "/signup"
    ? "/signup"
    : `/signup?${new URLSearchParams({ next })}`;
}

/** Where to go after signing in: the `next` of the current address when it is an in-app path. */
export function returnPathFrom(search: string): string {
  const next = new URLSearchParams(search).get("next");
  return next?.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/";
}

/** What goes before a room's name: `@` for a direct conversation (named after the other person), `#` otherwise. */
export function roomSigil(visibility: string): string {
  return visibility === "direct" ? "@" : "#";
}
