// A WebSocket upgrade travels from the Worker to the Durable Object that will hold the
// socket (a room, the user's hub) with the session it came with. The Worker has checked
// the cookie's signature and expiry; the object confirms the session with its hub
// itself (the hub holds it, a room asks the hub once and remembers), so the upgrade costs
// no separate call for it. One module writes and reads these headers, for both objects.
import type { UserRef } from "../protocol/room-protocol.ts";

const USER_HEADER = "x-chattr-user";
const SESSION_HEADER = "x-chattr-session";
const SESSION_VERSION_HEADER = "x-chattr-session-version";
const ADDRESS_HEADER = "x-chattr-address";

export interface ForwardedSession {
  /** The cookie's user, or null for a visitor. Not yet confirmed for an account. */
  user: UserRef | null;
  /** The session's id ("" for a visitor), so ending sessions can close their sockets. */
  sid: string;
  /** The session's version as the cookie claims it (0 for guests); null for visitors. */
  claimedVersion: number | null;
  /**
   * The client's address (CF-Connecting-IP; "" when unknown). Guests have no account to
   * hold a send allowance, so the room keys theirs by address; nothing stores it.
   */
  address: string;
}

/** The Worker's side: the headers to forward the upgrade with (set nowhere else, never by a client). */
export function forwardedUpgradeHeaders(session: ForwardedSession): Headers {
  const headers = new Headers({ Upgrade: "websocket" });
  headers.set(USER_HEADER, JSON.stringify(session.user));
  headers.set(SESSION_HEADER, session.sid);
  headers.set(SESSION_VERSION_HEADER, session.claimedVersion === null ? "" : String(session.claimedVersion));
  headers.set(ADDRESS_HEADER, session.address);
  return headers;
}

/** The object's side: the forwarded session, or null when the request is not such an upgrade. */
export function readForwardedUpgrade(request: Request): ForwardedSession | null {
  const user = request.headers.get(USER_HEADER);
  if (!user || request.headers.get("Upgrade") !== "websocket") return null;
  const version = request.headers.get(SESSION_VERSION_HEADER);
  const claimedVersion = version ? Number(version) : null;
  return {
    user: JSON.parse(user) as UserRef | null,
    sid: request.headers.get(SESSION_HEADER) ?? "",
    claimedVersion: Number.isInteger(claimedVersion) ? claimedVersion : null,
    address: request.headers.get(ADDRESS_HEADER) ?? "",
  };
}
