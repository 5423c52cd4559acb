import { describe, expect, it } from "vitest";
import {
  forgetLastRoom,
  type KeyValueStore,
  LAST_ROOM_KEY,
  lastRoomOf,
  rememberLastRoom,
} from "../../web/src/lib/last-room.ts";

/** A real in-memory key-value store with localStorage's three methods. */
function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

describe("the last room", () => {
  it("is remembered per account: another account on the same browser gets none", () => {
    const store = memoryStore();
    rememberLastRoom(store, "ann", "r1");
    expect(lastRoomOf(store, "ann")).toBe("r1");
    expect(lastRoomOf(store, "bob")).toBeNull();
  });

  it("is forgotten when that room is left or gone, but not for another room", () => {
    const store = memoryStore();
    rememberLastRoom(store, "ann", "r1");
    forgetLastRoom(store, "r2");
    expect(lastRoomOf(store, "ann")).toBe("r1");
    forgetLastRoom(store, "r1");
    expect(lastRoomOf(store, "ann")).toBeNull();
  });

  it("reads a damaged or foreign value as none", () => {
    const store = memoryStore();
    for (const raw of ["{", "42", '"r1"', '{"userId":"ann"}', '{"userId":"ann","roomId":""}']) {
      store.map.set(LAST_ROOM_KEY, raw);
      expect(lastRoomOf(store, "ann")).toBeNull();
    }
  });
});
