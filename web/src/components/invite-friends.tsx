// "Invite friends" in a room: a dialog listing the user's friends, each with "Invite".
// The friend gets a live invitation on their hub and joins with one click, even a
// private room. A native modal <dialog> gives focus handling and Escape for free.
import { useRef, useState } from "preact/hooks";
import { ApiError, describeError } from "../lib/api.ts";
import { friendsApi } from "../lib/friends-api.ts";
import type { FriendsView } from "../lib/friends-hub.ts";

type InviteState = "sending" | "sent" | { error: string };

export function InviteFriends(props: { roomId: string; roomName: string; view: FriendsView }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [states, setStates] = useState<Record<string, InviteState>>({});
  const { friends } = props.view.state;

  const invite = async (userId: string) => {
    setStates((s) => ({ ...s, [userId]: "sending" }));
    try {
      await friendsApi.inviteToRoom(props.roomId, userId);
      setStates((s) => ({ ...s, [userId]: "sent" }));
    } catch (error) {
      const message =
        error instanceof ApiError && error.code === "already_member" ? "Already here" : describeError(error);
      setStates((s) => ({ ...s, [userId]: { error: message } }));
    }
  };

  return (
    <>
      <button type="button" class="btn btn-quiet" onClick={() => dialog.current?.showModal()}>
        Invite friends
      </button>
      <dialog ref={dialog} class="invite-friends" aria-labelledby="invite-friends-title">
        <h2 id="invite-friends-title">Invite friends to {props.roomName}</h2>
        {friends.length === 0 ? (
          <p class="muted">Add friends first: their names appear here.</p>
        ) : (
          <ul class="invite-friends-list">
            {friends.map((friend) => {
              const state = states[friend.id];
              return (
                <li key={friend.id}>
                  <span class={`presence-dot${friend.online ? " is-online" : ""}`} aria-hidden="true" />
                  <span class="friend-name">{friend.username}</span>
                  {state === "sent" ? (
                    <span class="muted small" role="status">
                      Invited
                    </span>
                  ) : (
                    <button
                      type="button"
                      class="btn btn-secondary btn-sm"
                      disabled={state === "sending"}
                      aria-label={`Invite ${friend.username}`}
                      onClick={() => invite(friend.id)}
                    >
                      Invite
                    </button>
                  )}
                  {typeof state === "object" && (
                    <span class="form-alert small" role="alert">
                      {state.error}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <form method="dialog">
          <button type="submit" class="btn btn-quiet">
            Close
          </button>
        </form>
      </dialog>
    </>
  );
}
