// "Invite friends" in a room: a dialog listing the user's friends, each with "Invite".
// The friend gets a live invitation on their hub and joins with one click, even a
// private room. Opened from the room's header (or its "⋯" menu on a phone).
import { useState } from "preact/hooks";
import { ApiError, describeError } from "../lib/api.ts";
import { friendsApi } from "../lib/friends-api.ts";
import type { FriendsView } from "../lib/friends-hub.ts";
import { ModalDialog } from "./modal-dialog.tsx";

type InviteState = "sending" | "sent" | { error: string };

interface Props {
  roomId: string;
  roomName: string;
  view: FriendsView;
  open: boolean;
  onClose: () => void;
}

export function InviteFriendsDialog(props: Props) {
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
    <ModalDialog
      id="invite-friends"
      class="invite-friends"
      open={props.open}
      onClose={props.onClose}
      title={`Invite friends to ${props.roomName}`}
    >
      {friends.length === 0 ? (
        <p class="muted">Add friends first: their names appear here.</p>
      ) : (
        <ul class="invite-friends-list">
          {friends.map((friend) => {
            const state = states[friend.id];
            return (
              <li key={friend.id}>
                <span class={`presence-dot${friend.online ? " is-online" : ""}`} aria-hidden="true" />
                <span class="friend-name" title={friend.username}>
                  {friend.username}
                </span>
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
      <form method="dialog" class="modal-actions">
        <button type="submit" class="btn btn-quiet">
          Close
        </button>
      </form>
    </ModalDialog>
  );
}
