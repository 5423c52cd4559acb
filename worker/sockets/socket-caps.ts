// How many sockets one account may hold: numbers a real person never meets, so that one
// account cannot hold thousands of sockets (each costs the objects memory and a share of
// every broadcast). Past a cap the oldest socket is closed (4009), not the new one: the
// newest is the tab the person is looking at.
// Pure, so the choice is tested without a runtime.

/** Hub sockets (`/api/me/ws`) per account: a tab or device each. */
export const MAX_HUB_SOCKETS = 20;
/** Sockets per account in one room (tabs with the same room open). */
export const MAX_ROOM_SOCKETS_PER_USER = 10;
/** Rooms an account holds sockets in at once (its hub's registered rooms). */
export const MAX_OPEN_ROOMS = 200;

/** The sockets to close so that at most `cap` remain: the oldest first. */
export function oldestBeyondCap<T>(
  sockets: readonly T[],
  connectedAt: (socket: T) => number,
  cap: number,
): T[] {
  if (sockets.length <= cap) return [];
  return [...sockets].sort((a, b) => connectedAt(a) - connectedAt(b)).slice(0, sockets.length - cap);
}
