// A room and the hubs (user/user-hub.ts) of the accounts with sockets in it. An upgrade's
// session is confirmed by asking its account's hub, which registers the room there, so
// that ending the account's sessions (password change, log-out) reaches the room and
// closes their sockets. While registered (a socket here, or the last one left less than
// HUB_LEAVE_DELAY_MS ago) a session the hub confirmed is trusted without asking again,
// since the hub would have said if it ended: a client that reconnects, or a thousand in a
// reconnect storm, cost the hubs nothing.
import type { Env } from "../env.ts";
import type { UserRef } from "../protocol/room-protocol.ts";
import { userHub } from "../user/user-hub.ts";
import { KeyedTimers } from "./keyed-timers.ts";

/** A user's hub hears that their last socket here left only after this long. */
const HUB_LEAVE_DELAY_MS = 5_000;

export class HubRegistration {
  readonly #env: Env;
  /** Users whose last socket left: their hub hears it after HUB_LEAVE_DELAY_MS unless they come back. */
  readonly #leaving = new KeyedTimers<string>();
  /** `roomClosed` calls under way, so that a `roomOpened` for the same user reaches the hub after them. */
  readonly #closing = new Map<string, Promise<void>>();
  /** Sessions (`sid:version`) each user's hub confirmed while this room is registered there. */
  readonly #confirmed = new Map<string, Set<string>>();
  /** Counts ended sessions: a confirmation that overlapped an ending is not kept. */
  #endings = 0;

  constructor(env: Env) {
    this.#env = env;
  }

  /** Changes whenever sessions end: an upgrade checked across a change is checked again. */
  get endings(): number {
    return this.#endings;
  }

  /**
   * The user the upgrade may act as: a visitor as is; an account or a guest only when its
   * hub says the session still counts (else a visitor, as a stale cookie is everywhere
   * else). `hasSocketHere` says whether the user has a socket in the room now.
   */
  async confirm(
    claimed: UserRef | null,
    roomId: string,
    sid: string,
    version: number | null,
    hasSocketHere: boolean,
  ): Promise<UserRef | null> {
    if (claimed === null || version === null) return null;
    const key = `${sid}:${version}`;
    const registered = hasSocketHere || this.#leaving.has(claimed.id);
    if (registered && this.#confirmed.get(claimed.id)?.has(key)) {
      // Back before the hub heard they left: it never will.
      this.#leaving.cancel(claimed.id);
      return claimed;
    }
    const endingsBefore = this.#endings;
    const counts = await this.#opened(claimed.id, roomId, sid, version);
    // An answer that overlapped ending sessions may be stale: it is not kept (and the
    // upgrade asks again).
    if (counts && this.#endings === endingsBefore) {
      const confirmed = this.#confirmed.get(claimed.id) ?? new Set<string>();
      confirmed.add(key);
      this.#confirmed.set(claimed.id, confirmed);
    }
    return counts ? claimed : null;
  }

  /** The hub ended sessions of this user: the next upgrade asks it again. */
  sessionsEnded(userId: string): void {
    this.#confirmed.delete(userId);
    this.#endings++;
  }

  /** The hub forgot this room for the user (too many rooms open): nothing needs telling it. */
  forget(userId: string): void {
    this.#leaving.cancel(userId);
    this.#confirmed.delete(userId);
  }

  /**
   * Tells the user's hub that their last socket here is gone, after a moment, so that a
   * reconnect in between needs no call at all. Best effort: a stale entry (the object
   * went away first) only costs the hub one needless call later.
   */
  leftSoon(userId: string, roomId: string): void {
    if (this.#leaving.has(userId)) return;
    this.#leaving.set(userId, HUB_LEAVE_DELAY_MS, () => {
      // Unregistered, the room no longer hears when sessions end, and a later upgrade asks
      // the hub again anyway: the entry would only hold memory for someone who left.
      this.#confirmed.delete(userId);
      const closing = userHub(this.#env, userId)
        .roomClosed(roomId)
        .catch((error: unknown) => console.warn(`room ${roomId}: could not tell the user hub`, error))
        .finally(() => {
          if (this.#closing.get(userId) === closing) this.#closing.delete(userId);
        });
      this.#closing.set(userId, closing);
    });
  }

  /** Registers the room with the user's hub (again) and answers whether the session counts. */
  async #opened(userId: string, roomId: string, sid: string, version: number): Promise<boolean> {
    this.#leaving.cancel(userId);
    await this.#closing.get(userId);
    return await userHub(this.#env, userId).roomOpened(roomId, userId, sid, version);
  }
}
