import { describe, expect, it } from "vitest";
import { SocketRoster } from "../../worker/room/socket-roster.ts";

const ana = { id: "a", name: "ana", guest: false };
const ben = { id: "b", name: "ben", guest: false };

describe("SocketRoster", () => {
  it("counts a user online from their first joined socket until their last joined one is gone", () => {
    const roster = new SocketRoster();
    roster.added(ana, false);
    expect(roster.hasSocketOf("a")).toBe(true);
    expect(roster.isOnline("a")).toBe(false);
    roster.joined(ana);
    roster.added(ana, false);
    roster.joined(ana);
    roster.added(ben, true);
    expect(roster.online()).toEqual([ana, ben]);

    roster.removed(ana, true);
    expect(roster.isOnline("a")).toBe(true);
    roster.removed(ana, true);
    expect(roster.isOnline("a")).toBe(false);
    expect(roster.hasSocketOf("a")).toBe(false);
    expect(roster.online()).toEqual([ben]);
  });

  it("keeps a user's sockets that never joined apart from their joined ones", () => {
    const roster = new SocketRoster();
    roster.added(ana, true);
    roster.added(ana, false);
    roster.removed(ana, false);
    expect(roster.isOnline("a")).toBe(true);
    roster.removed(ana, true);
    expect(roster.isOnline("a")).toBe(false);
    expect(roster.hasSocketOf("a")).toBe(false);
  });
});
