// Who holds sockets in a room, counted per user: a join or a drop asks "has this user
// another socket?" and "is this user still here?" without walking every socket (in a
// reconnect storm of 1,000 clients that walk was 1,000 × 1,000 steps on the room's thread).
// A user whose last joined socket closed stays listed until the room says they left
// (`leave`): the room waits a grace period first, so a connection that blips and comes
// back changes no one's list. Every change to who is listed bumps `version`, so a client
// that holds the list of the current version needs no new copy.
// Pure, so the counting is tested without a runtime; the room calls it wherever a socket
// is added, joins or is dropped.
import type { UserRef } from "../protocol/room-protocol.ts";

export class SocketRoster {
  /** Sockets per user id, joined or not. */
  readonly #sockets = new Map<string, number>();
  /** Listed users (in the order they came) and their joined sockets: 0 while in their grace period. */
  readonly #listed = new Map<string, { user: UserRef; sockets: number }>();
  #version = 0;

  /** A socket of `user` was accepted (or found again after hibernation). */
  added(user: UserRef, joined: boolean): void {
    this.#sockets.set(user.id, (this.#sockets.get(user.id) ?? 0) + 1);
    if (joined) this.joined(user);
  }

  /** One of `user`'s sockets said hello for the first time; answers whether that listed them. */
  joined(user: UserRef): boolean {
    const entry = this.#listed.get(user.id);
    if (entry) {
      entry.sockets += 1;
      return false;
    }
    this.#listed.set(user.id, { user, sockets: 1 });
    this.#version += 1;
    return true;
  }

  /**
   * One of `user`'s sockets is gone (`joined`: whether it had said hello). Answers whether
   * it was their last joined one: they stay listed until `leave`.
   */
  removed(user: UserRef, joined: boolean): boolean {
    const sockets = (this.#sockets.get(user.id) ?? 0) - 1;
    if (sockets > 0) this.#sockets.set(user.id, sockets);
    else this.#sockets.delete(user.id);
    const entry = joined ? this.#listed.get(user.id) : undefined;
    if (!entry || entry.sockets <= 0) return false;
    entry.sockets -= 1;
    return entry.sockets === 0;
  }

  /** Unlists the user if none of their sockets joined again; answers whether that changed the list. */
  leave(userId: string): boolean {
    if (this.#listed.get(userId)?.sockets !== 0) return false;
    this.#listed.delete(userId);
    this.#version += 1;
    return true;
  }

  /** How many sockets the user holds here, joined or not. */
  socketCount(userId: string): number {
    return this.#sockets.get(userId) ?? 0;
  }

  hasSocketOf(userId: string): boolean {
    return this.#sockets.has(userId);
  }

  /** Whether the user is listed: a joined socket here, or in their grace period. */
  isOnline(userId: string): boolean {
    return this.#listed.has(userId);
  }

  /** Everyone listed, once each. */
  online(): UserRef[] {
    return [...this.#listed.values()].map((entry) => entry.user);
  }

  /** Changes whenever `online()` does (counting from 0 in each instance). */
  get version(): number {
    return this.#version;
  }
}
