// The user's friends as the web app holds them: the hub's `ready` snapshot, then every
// live frame applied in order. Pure, so each frame's effect is unit-tested; applying a
// frame twice (a reconnect can repeat one) changes nothing the second time.
import {
  compareFriends,
  type Friend,
  type FriendList,
  type HubServerFrame,
  type RoomInvitation,
} from "../../../worker/protocol/hub-protocol.ts";

export interface FriendsState extends FriendList {
  /** People with the app open right now (accounts). */
  onlineTotal: number;
  roomInvites: RoomInvitation[];
}

export const EMPTY_FRIENDS: FriendsState = {
  friends: [],
  incoming: [],
  outgoing: [],
  onlineTotal: 0,
  roomInvites: [],
};

function sortFriends(friends: Friend[]): Friend[] {
  return [...friends].sort(compareFriends);
}

function withoutId<T extends { id: string }>(items: T[], id: string): T[] {
  return items.filter((item) => item.id !== id);
}

export function applyHubFrame(state: FriendsState, frame: HubServerFrame): FriendsState {
  switch (frame.type) {
    case "ready": {
      const { type: _type, ...snapshot } = frame;
      return { ...snapshot, friends: sortFriends(snapshot.friends) };
    }
    case "friend_presence":
      return {
        ...state,
        friends: sortFriends(
          state.friends.map((f) =>
            f.id === frame.userId ? { ...f, online: frame.online, lastSeenAt: frame.lastSeenAt } : f,
          ),
        ),
      };
    case "friend_request":
      return {
        ...state,
        incoming: [...withoutId(state.incoming, frame.id), { id: frame.id, from: frame.from }],
      };
    case "friend_request_sent":
      return { ...state, outgoing: [...withoutId(state.outgoing, frame.id), { id: frame.id, to: frame.to }] };
    case "friend_request_removed":
      return {
        ...state,
        incoming: withoutId(state.incoming, frame.id),
        outgoing: withoutId(state.outgoing, frame.id),
      };
    case "friend_accepted": {
      const other = frame.user.id;
      return {
        ...state,
        friends: sortFriends([...withoutId(state.friends, other), frame.user]),
        incoming: state.incoming.filter((r) => r.from.id !== other),
        outgoing: state.outgoing.filter((r) => r.to.id !== other),
      };
    }
    case "friend_removed":
      return { ...state, friends: withoutId(state.friends, frame.userId) };
    case "room_invite": {
      const { type: _type, ...invitation } = frame;
      return {
        ...state,
        roomInvites: [...state.roomInvites.filter((i) => i.token !== invitation.token), invitation],
      };
    }
    case "room_invite_removed":
      return { ...state, roomInvites: state.roomInvites.filter((i) => i.token !== frame.token) };
    case "online_total":
      return { ...state, onlineTotal: frame.count };
    // The room list takes these (web/src/lib/room-list-state.ts).
    case "room_activity":
    case "error":
      return state;
    default:
      return frame satisfies never;
  }
}
