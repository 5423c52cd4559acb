// Requests the first screen needs, started as soon as the script runs instead of from an
// effect after the first render and paint (Preact runs effects after the next frame): the
// session check on every page, and a room's details and latest messages when the page is a
// room (the room page asked only once the session check had answered). Each is handed out
// once; later calls make a fresh request.
import { LIMITS } from "../../../worker/protocol/room-protocol.ts";
import { api } from "./api.ts";
import { parseRoute } from "./paths.ts";

const started = new Map<string, Promise<unknown>>();

function start<T>(key: string, request: () => Promise<T>): void {
  const promise = request();
  // Whoever takes it handles a failure; until then it is not an unhandled rejection.
  promise.catch(() => {});
  started.set(key, promise);
}

function take<T>(key: string, request: () => Promise<T>): Promise<T> {
  const promise = started.get(key) as Promise<T> | undefined;
  started.delete(key);
  return promise ?? request();
}

/** Starts the first screen's requests; called once, by boot.ts, before the other modules run. */
export function startEarlyRequests(): void {
  start("me", () => api.me());
  const route = parseRoute(location.pathname);
  if (route.name === "room") {
    start(`room:${route.roomId}`, () => api.room(route.roomId));
    start(`latest:${route.roomId}`, () => api.messages(route.roomId, undefined, LIMITS.defaultPageSize));
  }
}

/** The session check (`GET /api/session`): the one started early, the first time. */
export function sessionCheck(): ReturnType<typeof api.me> {
  return take("me", () => api.me());
}

/** A room's details (`GET /api/rooms/:id`): the one started early for this page's room, the first time. */
export function roomDetails(roomId: string): ReturnType<typeof api.room> {
  return take(`room:${roomId}`, () => api.room(roomId));
}

/** A room's latest page of messages, newest first: the one started early for this page's room, the first time. */
export function latestMessages(roomId: string): ReturnType<typeof api.messages> {
  return take(`latest:${roomId}`, () => api.messages(roomId, undefined, LIMITS.defaultPageSize));
}
