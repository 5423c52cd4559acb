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

    expect(roster.removed(ana, true)).toBe(false);
    expect(roster.isOnline("a")).toBe(true);
    expect(roster.removed(ana, true)).toBe(true); // the last one: listed until `leave`
    expect(roster.hasSocketOf("a")).toBe(false);
    expect(roster.online()).toEqual([ana, ben]);
    expect(roster.leave("a")).toBe(true);
    expect(roster.isOnline("a")).toBe(false);
    expect(roster.online()).toEqual([ben]);
    expect(roster.leave("a")).toBe(false);
  });

  it("keeps a user who comes back within the grace period listed, in their place, without a change", () => {
    const roster = new SocketRoster();
    roster.added(ana, true);
    roster.added(ben, true);
    const version = roster.version;
    expect(roster.removed(ana, true)).toBe(true);
    roster.added(ana, false);
    expect(roster.joined(ana)).toBe(false); // back: not a new arrival
    expect(roster.leave("a")).toBe(false); // the grace period's end finds them here
    expect(roster.online()).toEqual([ana, ben]);
    expect(roster.version).toBe(version);
  });

  it("changes its version exactly when the list changes", () => {
    const roster = new SocketRoster();
    const versions = [roster.version];
    roster.added(ana, false);
    versions.push(roster.version); // a socket that has not joined lists nobody
    expect(roster.joined(ana)).toBe(true);
    versions.push(roster.version);
    roster.added(ana, true); // a second socket of a listed user
    versions.push(roster.version);
    roster.removed(ana, true);
    roster.removed(ana, true);
    versions.push(roster.version); // in the grace period: still listed
    roster.leave("a");
    versions.push(roster.version);
    expect(versions.map((v) => v - (versions[0] ?? 0))).toEqual([0, 0, 1, 1, 1, 2]);
  });

  it("keeps a user's sockets that never joined apart from their joined ones", () => {
    const roster = new SocketRoster();
    roster.added(ana, true);
    roster.added(ana, false);
    expect(roster.removed(ana, false)).toBe(false);
    expect(roster.leave("a")).toBe(false);
    expect(roster.isOnline("a")).toBe(true);
    roster.removed(ana, true);
    roster.leave("a");
    expect(roster.isOnline("a")).toBe(false);
    expect(roster.hasSocketOf("a")).toBe(false);
  });
});
