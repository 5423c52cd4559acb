// Client-side routes on the history API: `/` (rooms or sign-in) and `/r/:roomId`.
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { name: "home" }
  | { name: "room"; roomId: string }
  | { name: "settings" }
  | { name: "invite"; token: string }
  | { name: "not_found" };

export function parseRoute(pathname: string): Route {
  if (pathname === "/" || pathname === "") return { name: "home" };
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

const NAVIGATE_EVENT = "chattr:navigate";

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname) return;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname));
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return route;
}

/** Click handler for in-app links: plain clicks navigate in place, modified ones open normally. */
export function onLinkClick(event: MouseEvent): void {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  ) {
    return;
  }
  const anchor = event.currentTarget;
  if (!(anchor instanceof HTMLAnchorElement) || anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname);
}
