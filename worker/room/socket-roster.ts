// Who holds sockets in a room, counted per user: a join or a drop asks "has this user
// another socket?" and "is this user still here?" without walking every socket (in a
// reconnect storm of 1,000 clients that walk was 1,000 × 1,000 steps on the room's thread).
// Pure, so the counting is tested without a runtime; the room calls it wherever a socket
// is added, joins or is dropped.
import type { UserRef } from "../protocol/room-protocol.ts";

export class SocketRoster {
  /** Sockets per user id, joined or not. */
  readonly #sockets = new Map<string, number>();
  /** Joined sockets per user id (those users are online here), in the order they came. */
  readonly #joined = new Map<string, { user: UserRef; sockets: number }>();

  /** A socket of `user` was accepted (or found again after hibernation). */
  added(user: UserRef, joined: boolean): void {
    this.#sockets.set(user.id, (this.#sockets.get(user.id) ?? 0) + 1);
    if (joined) this.joined(user);
  }

  /** One of `user`'s sockets said hello for the first time. */
  joined(user: UserRef): void {
    const entry = this.#joined.get(user.id);
    if (entry) entry.sockets += 1;
    else this.#joined.set(user.id, { user, sockets: 1 });
  }

  /** One of `user`'s sockets is gone (`joined`: whether it had said hello). */
  removed(user: UserRef, joined: boolean): void {
    const sockets = (this.#sockets.get(user.id) ?? 0) - 1;
    if (sockets > 0) this.#sockets.set(user.id, sockets);
    else this.#sockets.delete(user.id);
    const entry = joined ? this.#joined.get(user.id) : undefined;
    if (!entry) return;
    entry.sockets -= 1;
    if (entry.sockets <= 0) this.#joined.delete(user.id);
  }

  hasSocketOf(userId: string): boolean {
    return this.#sockets.has(userId);
  }

  /** Whether the user has a joined socket here. */
  isOnline(userId: string): boolean {
    return this.#joined.has(userId);
  }

  /** Everyone with a joined socket, once each. */
  online(): UserRef[] {
    return [...this.#joined.values()].map((entry) => entry.user);
  }
}
