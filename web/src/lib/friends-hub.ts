// The user's live channel (`/api/me/ws`) in the browser: a LiveSocket whose frames are
// folded into FriendsState (and the room list's counts into the room list), plus the actions
// the friends UI offers. Actions go over HTTP
// and apply their own result at once; the hub then echoes the same change (to every tab),
// which the reducer takes as a no-op. So the list is right even while the socket is down.
import { useEffect, useMemo, useState } from "preact/hooks";
import type { HubServerFrame } from "../../../worker/protocol/hub-protocol.ts";
import { CloseCode, type UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { Room } from "./api.ts";
import { friendsApi } from "./friends-api.ts";
import { applyHubFrame, EMPTY_FRIENDS, type FriendsState } from "./friends-state.ts";
import { type ConnectionState, LiveSocket } from "./live-socket.ts";
import { type RoomListStore, roomList } from "./room-list-store.ts";

/** `loading` until the first `ready`; `unavailable` while the server cannot load the list. */
export type FriendsStatus = "loading" | "ready" | "unavailable" | "ended";

export interface FriendsView {
  state: FriendsState;
  status: FriendsStatus;
  connection: ConnectionState;
  /**
   * Set when the session ended elsewhere (close 4001): its reason (worker/protocol/room-protocol.ts
   * SessionEndReason, or "session_ended" without one). Null otherwise.
   */
  endedBecause: string | null;
}

const HUB_FRAME_TYPES: ReadonlySet<string> = new Set([
  "ready",
  "friend_presence",
  "friend_request",
  "friend_request_sent",
  "friend_request_removed",
  "friend_accepted",
  "friend_removed",
  "room_invite",
  "room_invite_removed",
  "online_total",
  "room_activity",
  "error",
]);

/** After `database_unavailable`, ask again this long later. */
const RETRY_MS = 3_000;

export class FriendsHub {
  readonly #live: LiveSocket<HubServerFrame>;
  readonly #listeners = new Set<(view: FriendsView) => void>();
  #view: FriendsView = { state: EMPTY_FRIENDS, status: "loading", connection: "closed", endedBecause: null };
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** `ready`s so far: every one after the first follows a reconnect, when frames were missed. */
  #readies = 0;

  constructor(
    private readonly rooms: Pick<RoomListStore, "apply" | "applyPinnedOnline" | "load"> = roomList,
  ) {
    this.#live = new LiveSocket<HubServerFrame>({
      path: "/api/me/ws",
      frameTypes: HUB_FRAME_TYPES,
      hello: () => ({ type: "hello" }),
      isReady: (frame) => frame.type === "ready",
      onFrame: (frame) => this.#onFrame(frame),
      onState: (connection) => this.#update({ connection }),
      onTerminated: (code, reason) =>
        this.#update({
          status: "ended",
          endedBecause: code === CloseCode.SessionEnded ? reason || "session_ended" : null,
        }),
    });
  }

  get view(): FriendsView {
    return this.#view;
  }

  start(): void {
    this.#live.start();
  }

  stop(): void {
    clearTimeout(this.#retryTimer);
    this.#live.stop();
  }

  subscribe(listener: (view: FriendsView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Asks for the list again now (the "Retry" after a failure). */
  retry(): void {
    clearTimeout(this.#retryTimer);
    this.#update({ status: "loading" });
    this.#live.rehello();
  }

  // ---- actions (each throws ApiError with the server's message) ------------------------

  async requestFriend(username: string): Promise<void> {
    const result = await friendsApi.requestFriend(username);
    this.#apply(
      "friend" in result
        ? { type: "friend_accepted", user: result.friend }
        : { type: "friend_request_sent", ...result.request },
    );
  }

  async accept(requestId: string): Promise<void> {
    this.#apply({ type: "friend_accepted", user: await friendsApi.accept(requestId) });
  }

  async decline(requestId: string): Promise<void> {
    await friendsApi.decline(requestId);
    this.#apply({ type: "friend_request_removed", id: requestId });
  }

  async cancel(requestId: string): Promise<void> {
    await friendsApi.cancel(requestId);
    this.#apply({ type: "friend_request_removed", id: requestId });
  }

  async remove(userId: string): Promise<void> {
    await friendsApi.remove(userId);
    this.#apply({ type: "friend_removed", userId });
  }

  directRoom(userId: string): Promise<Room> {
    return friendsApi.directRoom(userId);
  }

  /** Forgets a room invitation here and in every other tab. */
  dismissInvite(token: string): void {
    this.#live.send({ type: "dismiss_invite", token });
    this.#apply({ type: "room_invite_removed", token });
  }

  #onFrame(frame: HubServerFrame): void {
    if (frame.type === "error") {
      if (frame.code !== "database_unavailable") return;
      this.#update({ status: "unavailable" });
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => this.#live.rehello(), RETRY_MS);
      return;
    }
    if (frame.type === "room_activity") {
      const { type: _type, ...activity } = frame;
      this.rooms.apply(activity);
      return;
    }
    if (frame.type === "online_total") this.rooms.applyPinnedOnline(frame.rooms);
    this.#apply(frame);
    if (frame.type === "ready") {
      // The room list missed what happened while the socket was down: load it afresh.
      if (this.#readies++ > 0) this.rooms.load();
      this.#update({ status: "ready" });
    }
  }

  #apply(frame: HubServerFrame): void {
    this.#update({ state: applyHubFrame(this.#view.state, frame) });
  }

  #update(change: Partial<FriendsView>): void {
    this.#view = { ...this.#view, ...change };
    for (const listener of this.#listeners) listener(this.#view);
  }
}

/**
 * The signed-in person's hub (accounts and guests: while it is open they count as online) for
 * as long as the app shows them; null for visitors.
 */
export function useFriendsHub(me: UserRef | null | undefined): {
  hub: FriendsHub | null;
  view: FriendsView | null;
} {
  const userId = me ? me.id : null;
  const hub = useMemo(() => (userId ? new FriendsHub() : null), [userId]);
  const [view, setView] = useState<FriendsView | null>(hub?.view ?? null);
  useEffect(() => {
    setView(hub?.view ?? null);
    if (!hub) return;
    const unsubscribe = hub.subscribe(setView);
    hub.start();
    return () => {
      unsubscribe();
      hub.stop();
    };
  }, [hub]);
  return { hub, view };
}
