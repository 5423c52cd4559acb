// The one room list of the app: loaded from the API, then kept live by the hub's
// `room_activity` frames (no polling). The sidebar, the home page and the tab title read it.
import type { RoomActivity } from "../../../worker/protocol/hub-protocol.ts";
import { api, describeError, type Room } from "./api.ts";
import { applyPinnedOnline, applyRoomActivity } from "./room-list-state.ts";

export interface RoomListView {
  /** null until the first answer. */
  rooms: Room[] | null;
  error: string | null;
}

export class RoomListStore {
  #view: RoomListView = { rooms: null, error: null };
  readonly #listeners = new Set<(view: RoomListView) => void>();
  /** Bumped by every load and reset, so an answer that was overtaken is dropped. */
  #generation = 0;

  get view(): RoomListView {
    return this.#view;
  }

  subscribe(listener: (view: RoomListView) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads the list afresh: at start, when the hub (re)connects, for a room it lacks. */
  load(): void {
    const generation = ++this.#generation;
    api.rooms().then(
      (rooms) => generation === this.#generation && this.#set({ rooms, error: null }),
      (error: unknown) =>
        generation === this.#generation && this.#set({ ...this.#view, error: describeError(error) }),
    );
  }

  /** A room's counts from the hub; a room the list lacks makes it load again. */
  apply(activity: RoomActivity): void {
    const rooms = this.#view.rooms;
    if (!rooms) return;
    const next = applyRoomActivity(rooms, activity);
    if (next === null) this.load();
    else if (next !== rooms) this.#set({ ...this.#view, rooms: next });
  }

  /** #general's and the lobby's counts, which everyone hears (`online_total`). */
  applyPinnedOnline(online: Record<string, number>): void {
    const rooms = this.#view.rooms;
    if (!rooms) return;
    const next = applyPinnedOnline(rooms, online);
    if (next !== rooms) this.#set({ ...this.#view, rooms: next });
  }

  /** Signed out: nothing of the account's rooms stays on screen, then the public list loads. */
  reset(): void {
    this.#generation++;
    this.#set({ rooms: null, error: null });
    this.load();
  }

  #set(view: RoomListView): void {
    this.#view = view;
    for (const listener of this.#listeners) listener(view);
  }
}

export const roomList = new RoomListStore();
