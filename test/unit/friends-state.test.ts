import { describe, expect, it } from "vitest";
import {
  applyHubFrame,
  EMPTY_FRIENDS,
  type FriendsState,
  sentRequestNotice,
} from "../../web/src/lib/friends-state.ts";
import { timeAgo } from "../../web/src/lib/relative-time.ts";
import type { Friend, HubServerFrame } from "../../worker/protocol/hub-protocol.ts";

const ann = { id: "a", username: "ann", name: "ann", guest: false } as const;
const bob = { id: "b", username: "bob", name: "bob", guest: false } as const;

function friend(id: string, username: string, online: boolean, lastSeenAt: string | null = null): Friend {
  return { id, username, online, lastSeenAt, lastLoginAt: null };
}

function applyAll(frames: HubServerFrame[], from: FriendsState = EMPTY_FRIENDS): FriendsState {
  return frames.reduce(applyHubFrame, from);
}

describe("friends state", () => {
  it("takes ready as the whole truth, online friends first", () => {
    const state = applyAll([
      {
        type: "ready",
        friends: [friend("x", "xena", false, "2026-01-01T00:00:00Z"), friend("y", "yuri", true)],
        incoming: [{ id: "r1", from: ann }],
        outgoing: [],
        onlineTotal: 7,
        roomInvites: [],
      },
    ]);
    expect(state.friends.map((f) => f.username)).toEqual(["yuri", "xena"]);
    expect(state.incoming).toHaveLength(1);
    expect(state.onlineTotal).toBe(7);
  });

  it("moves a friend by presence, and keeps last seen for the offline", () => {
    const start = applyAll([
      {
        type: "ready",
        friends: [friend("a", "ann", true), friend("b", "bob", true)],
        incoming: [],
        outgoing: [],
        onlineTotal: 2,
        roomInvites: [],
      },
    ]);
    const state = applyHubFrame(start, {
      type: "friend_presence",
      userId: "a",
      online: false,
      lastSeenAt: "2026-11-24T10:00:00Z",
    });
    expect(state.friends.map((f) => [f.username, f.online, f.lastSeenAt])).toEqual([
      ["bob", true, null],
      ["ann", false, "2026-11-24T10:00:00Z"],
    ]);
  });

  it("an accepted request becomes a friend and leaves both request lists; repeats change nothing", () => {
    const frames: HubServerFrame[] = [
      { type: "friend_request", id: "r1", from: ann },
      { type: "friend_request_sent", id: "r2", to: bob },
      { type: "friend_accepted", user: friend("a", "ann", true) },
    ];
    const once = applyAll(frames);
    expect(once.incoming).toEqual([]);
    expect(once.outgoing.map((r) => r.id)).toEqual(["r2"]);
    expect(once.friends.map((f) => f.id)).toEqual(["a"]);
    expect(applyAll(frames, once)).toEqual(once);
  });

  it("drops removed requests, friends and invitations", () => {
    const invite = {
      token: "t1",
      room: { id: "r", name: "Room", visibility: "private" as const },
      from: ann,
      expiresAt: "2026-12-01T00:00:00Z",
    };
    const state = applyAll([
      { type: "friend_request", id: "r1", from: ann },
      { type: "friend_request_removed", id: "r1" },
      { type: "friend_accepted", user: friend("b", "bob", false) },
      { type: "friend_removed", userId: "b" },
      { type: "room_invite", ...invite },
      { type: "room_invite", ...invite },
    ]);
    expect(state.incoming).toEqual([]);
    expect(state.friends).toEqual([]);
    expect(state.roomInvites).toEqual([invite]);
    expect(applyHubFrame(state, { type: "room_invite_removed", token: "t1" }).roomInvites).toEqual([]);
  });
});

describe("the 'Request sent' notice", () => {
  const sent: HubServerFrame = { type: "friend_request_sent", id: "r2", to: bob };

  it("says a request went out while it waits for an answer", () => {
    expect(sentRequestNotice(applyAll([sent]), "bob")).toBe("Request sent to bob.");
  });

  it("goes away once the request is accepted, declined or cancelled", () => {
    const accepted = applyAll([sent, { type: "friend_accepted", user: friend("b", "bob", true) }]);
    expect(sentRequestNotice(accepted, "bob")).toBeNull();
    const declined = applyAll([sent, { type: "friend_request_removed", id: "r2" }]);
    expect(sentRequestNotice(declined, "bob")).toBeNull();
  });

  it("says nothing when nothing was sent from this form", () => {
    expect(sentRequestNotice(applyAll([sent]), null)).toBeNull();
  });
});

describe("timeAgo", () => {
  const now = Date.parse("2026-11-24T12:00:00Z");
  it.each([
    ["2026-11-24T11:59:30Z", "just now"],
    ["2026-11-24T11:55:00Z", "5 minutes ago"],
    ["2026-11-24T10:00:00Z", "2 hours ago"],
    ["2026-11-23T11:00:00Z", "yesterday"],
    ["2026-11-10T12:00:00Z", "2 weeks ago"],
    // A clock slightly ahead of ours is not "in the future".
    ["2026-11-24T12:00:05Z", "just now"],
  ])("%s is %s", (iso, words) => {
    expect(timeAgo(iso, now)).toBe(words);
  });
});
