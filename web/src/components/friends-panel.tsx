// The Friends panel in the left sidebar: add a friend by username, answer requests,
// accept room invitations from friends, and each friend online or last seen, with
// "Message" to open the two people's direct room.
import { useEffect, useRef, useState } from "preact/hooks";
import type { Friend, RoomInvitation } from "../../../worker/protocol/hub-protocol.ts";
import { accessApi } from "../lib/access-api.ts";
import { describeError } from "../lib/api.ts";
import type { FriendsHub, FriendsView } from "../lib/friends-hub.ts";
import { sentRequestNotice } from "../lib/friends-state.ts";
import { timeAgo } from "../lib/relative-time.ts";
import { navigate, roomPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { FormAlert } from "./form-alert.tsx";
import { LoadError, Skeleton } from "./load-state.tsx";

interface Props {
  hub: FriendsHub;
  view: FriendsView;
}

/** Re-renders every `intervalMs`, so "5 minutes ago" keeps counting. */
function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * A sentence for screen readers when a friend request or a room invitation arrives live
 * (not for those already waiting when the list first loads).
 */
function useArrivals(view: FriendsView): string {
  const seen = useRef<Set<string> | null>(null);
  const [said, setSaid] = useState("");
  const { incoming, roomInvites } = view.state;
  useEffect(() => {
    if (view.status !== "ready") return;
    const arrivals = [
      ...incoming.map((r) => ({ key: r.id, text: `${r.from.username} wants to be friends.` })),
      ...roomInvites.map((i) => ({
        key: i.token,
        text: `${i.from.username} invited you to ${i.room.name}.`,
      })),
    ];
    const known = seen.current;
    seen.current = new Set(arrivals.map((a) => a.key));
    if (!known) return;
    const fresh = arrivals.filter((a) => !known.has(a.key));
    if (fresh.length > 0) setSaid(fresh.map((a) => a.text).join(" "));
  }, [view.status, incoming, roomInvites]);
  return said;
}

export function FriendsPanel(props: Props) {
  const { hub, view } = props;
  const { friends, incoming, outgoing, roomInvites } = view.state;
  const [actionError, setActionError] = useState<string | null>(null);
  const arrivals = useArrivals(view);
  // One clock for the whole list, so every "5 minutes ago" moves together.
  const now = useNow();

  /** Runs a button's action; its failure is shown above the lists. */
  const act = (action: () => Promise<unknown>) => () => {
    setActionError(null);
    action().catch((error: unknown) => setActionError(describeError(error)));
  };

  return (
    <section class="sidebar-section friends" aria-labelledby="friends-title">
      <h2 class="sidebar-title" id="friends-title">
        Friends
      </h2>
      <p class="visually-hidden" aria-live="polite">
        {arrivals}
      </p>
      <AddFriendForm hub={hub} view={view} />
      <FormAlert message={actionError} />
      {view.status === "unavailable" && (
        <LoadError message="Your friends could not be loaded just now." onRetry={() => hub.retry()} />
      )}
      {view.status === "ended" && (
        <p class="muted small">
          Disconnected here (signed out, or open in too many tabs): reload to see your friends.
        </p>
      )}
      {view.status === "loading" && <Skeleton label="Loading friends…" rows={2} />}

      {roomInvites.length > 0 && (
        <ul class="friend-notices" aria-label="Room invitations">
          {roomInvites.map((invite) => (
            <RoomInvitationItem key={invite.token} invite={invite} hub={hub} onError={setActionError} />
          ))}
        </ul>
      )}

      {incoming.length > 0 && (
        <ul class="friend-notices" aria-label="Friend requests">
          {incoming.map((request) => (
            <li key={request.id} class="friend-notice">
              <p>
                <strong>{request.from.username}</strong> wants to be friends
              </p>
              <div class="friend-actions">
                <button type="button" onClick={act(() => hub.accept(request.id))}>
                  Accept
                </button>
                <button type="button" class="button-quiet" onClick={act(() => hub.decline(request.id))}>
                  Decline
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}

      {view.status !== "loading" && friends.length === 0 && incoming.length === 0 && (
        <p class="muted small">No friends yet. Add someone by their username.</p>
      )}
      {friends.length > 0 && (
        <ul class="friend-list" aria-label="Your friends">
          {friends.map((friend) => (
            <FriendItem key={friend.id} friend={friend} now={now} hub={hub} onError={setActionError} />
          ))}
        </ul>
      )}

      {outgoing.length > 0 && (
        <ul class="friend-notices" aria-label="Sent requests">
          {outgoing.map((request) => (
            <li key={request.id} class="friend-notice">
              <p class="muted small">
                Asked <strong>{request.to.username}</strong>
              </p>
              <button
                type="button"
                class="button-quiet"
                aria-label={`Cancel the request to ${request.to.username}`}
                onClick={act(() => hub.cancel(request.id))}
              >
                Cancel
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function AddFriendForm(props: { hub: FriendsHub; view: FriendsView }) {
  const [username, setUsername] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, onSubmit } = useFormAction(
    async () => {
      setSent(null);
      await props.hub.requestFriend(username);
      setSent(username.trim().toLowerCase());
      setUsername("");
    },
    { reusable: true },
  );
  return (
    <form class="add-friend" onSubmit={onSubmit}>
      <label for="add-friend-username" class="visually-hidden">
        Username
      </label>
      <input
        id="add-friend-username"
        name="username"
        placeholder="Username"
        autocomplete="off"
        autocapitalize="none"
        spellcheck={false}
        maxLength={32}
        required
        value={username}
        onInput={(event) => setUsername(event.currentTarget.value)}
        aria-describedby={error ? "add-friend-error" : undefined}
      />
      <button type="submit" disabled={busy}>
        Add friend
      </button>
      {error && <FormAlert id="add-friend-error" message={error} />}
      <p class="muted small" role="status">
        {error ? null : sentRequestNotice(props.view.state, sent)}
      </p>
    </form>
  );
}

function FriendItem(props: {
  friend: Friend;
  now: number;
  hub: FriendsHub;
  onError: (message: string) => void;
}) {
  const { friend, hub, now } = props;
  const [confirming, setConfirming] = useState(false);
  const [opening, setOpening] = useState(false);

  const message = async () => {
    setOpening(true);
    try {
      const room = await hub.directRoom(friend.id);
      navigate(roomPath(room.id));
    } catch (error) {
      props.onError(describeError(error));
    } finally {
      setOpening(false);
    }
  };

  return (
    <li class="friend">
      <span class="friend-head">
        <span class={`presence-dot${friend.online ? " is-online" : ""}`} aria-hidden="true" />
        <span class="friend-name">{friend.username}</span>
      </span>
      <span class="friend-status muted small">
        {friend.online
          ? "Online"
          : friend.lastSeenAt
            ? `Last seen ${timeAgo(friend.lastSeenAt, now)}`
            : "Offline"}
        {!friend.online && friend.lastLoginAt && (
          <span class="friend-login">Last login {timeAgo(friend.lastLoginAt, now)}</span>
        )}
      </span>
      <span class="friend-actions">
        {confirming ? (
          <>
            <button
              type="button"
              class="button-danger"
              onClick={() =>
                hub.remove(friend.id).catch((error: unknown) => props.onError(describeError(error)))
              }
            >
              Remove
            </button>
            <button type="button" class="button-quiet" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" onClick={message} disabled={opening}>
              Message
            </button>
            <button
              type="button"
              class="button-quiet"
              aria-label={`Remove ${friend.username} from friends`}
              onClick={() => setConfirming(true)}
            >
              ✕
            </button>
          </>
        )}
      </span>
    </li>
  );
}

function RoomInvitationItem(props: {
  invite: RoomInvitation;
  hub: FriendsHub;
  onError: (message: string) => void;
}) {
  const { invite, hub } = props;
  const [joining, setJoining] = useState(false);
  const accept = async () => {
    setJoining(true);
    try {
      const room = await accessApi.redeemInvite(invite.token);
      hub.dismissInvite(invite.token);
      navigate(roomPath(room.id));
    } catch (error) {
      props.onError(describeError(error));
      setJoining(false);
    }
  };
  return (
    <li class="friend-notice">
      <p>
        <strong>{invite.from.username}</strong> invited you to <strong>{invite.room.name}</strong>
      </p>
      <div class="friend-actions">
        <button type="button" onClick={accept} disabled={joining}>
          Accept
        </button>
        <button type="button" class="button-quiet" onClick={() => hub.dismissInvite(invite.token)}>
          Dismiss
        </button>
      </div>
    </li>
  );
}
