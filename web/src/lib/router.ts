// Client-side routes on the history API: `/` (home), `/login`, `/signup`, `/rooms` (browse) and `/r/:roomId`.
import { useEffect, useState } from "preact/hooks";
import { loginPathFor, parseRoute, type Route, returnPathFrom, signupPathFor } from "./paths.ts";

export type { Route } from "./paths.ts";
export { parseRoute, roomPath, roomSigil } from "./paths.ts";

/** The sign-in form, coming back to `next` (by default, this page) afterwards. */
export function loginPath(next: string = location.pathname): string {
  return loginPathFor(next);
}

/** The sign-up form, coming back to `next` (by default, this page) afterwards. */
export function signupPath(next: string = location.pathname): string {
  return signupPathFor(next);
}

/** Where to go after signing in: the `next` of this address when it is an in-app path. */
export function returnPath(): string {
  return returnPathFrom(location.search);
}

const NAVIGATE_EVENT = "chattr:navigate";

/** Whether the person has moved within the app since it opened (a link, back or forward). */
let movedWithinApp = false;
window.addEventListener("popstate", () => {
  movedWithinApp = true;
});

/**
 * True until the person first moves within the app: home sends someone to their last room
 * only when the app opens there, not when they ask for home (the brand, "All rooms").
 */
export function openedHere(): boolean {
  return !movedWithinApp;
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === location.pathname + location.search) return;
  // A replace keeps the person where they asked to be (a redirect, a cleaned-up URL).
  if (!options.replace) movedWithinApp = true;
  if (options.replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export function useRoute(): Route {
  const [shown, setShown] = useState(() => ({
    path: location.pathname,
    route: parseRoute(location.pathname),
  }));
  useEffect(() => {
    // The same path (e.g. after a #fragment link such as "Skip to content") keeps the same route.
    const update = () =>
      setShown((was) =>
        was.path === location.pathname
          ? was
          : { path: location.pathname, route: parseRoute(location.pathname) },
      );
    window.addEventListener("popstate", update);
    window.addEventListener(NAVIGATE_EVENT, update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener(NAVIGATE_EVENT, update);
    };
  }, []);
  return shown.route;
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
  navigate(anchor.pathname + anchor.search);
}
