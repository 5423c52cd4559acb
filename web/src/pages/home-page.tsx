// Home (`/`): a visitor learns what Chattr is and how to start; a signed-in person goes
// back to the room they had open last (if they can still open it), or, the first time,
// gets a welcome with their recent rooms and the friends online now.
import { useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { GuestForm } from "../components/guest-form.tsx";
import { Link } from "../components/link.tsx";
import { Skeleton } from "../components/load-state.tsx";
import { RoomLink } from "../components/room-link.tsx";
import { ApiError, api } from "../lib/api.ts";
import type { FriendsView } from "../lib/friends-hub.ts";
import { forgetLastRoom, lastRoomOf } from "../lib/last-room.ts";
import { recentRooms } from "../lib/room-sections.ts";
import { navigate, openedHere, roomPath } from "../lib/router.ts";
import { useRoomList } from "../lib/use-room-list.ts";

export function HomePage(props: {
  me: UserRef | null;
  friends: FriendsView | null;
  onGuest: (guest: UserRef) => void;
}) {
  if (props.me === null) return <Landing onGuest={props.onGuest} />;
  return <SignedInHome me={props.me} friends={props.friends} />;
}

/** Whether the last room is being checked, and so whether anything should show yet. */
function useLastRoomRedirect(me: UserRef): boolean {
  // Only when the app opens at home: asking for home from inside the app means home.
  const [checking, setChecking] = useState(() => openedHere() && storedLastRoom(me.id) !== null);
  useEffect(() => {
    const roomId = openedHere() ? storedLastRoom(me.id) : null;
    if (roomId === null) return;
    let live = true;
    api.room(roomId).then(
      (room) => {
        if (!live) return;
        // A private room left or lost since (member false) is no place to land.
        if (room.member !== false) navigate(roomPath(roomId), { replace: true });
        else {
          forgetStored(roomId);
          setChecking(false);
        }
      },
      (error: unknown) => {
        if (!live) return;
        if (error instanceof ApiError && error.status === 404) forgetStored(roomId);
        setChecking(false);
      },
    );
    return () => {
      live = false;
    };
  }, [me.id]);
  return checking;
}

function SignedInHome(props: { me: UserRef; friends: FriendsView | null }) {
  const checking = useLastRoomRedirect(props.me);
  if (checking) {
    return (
      <main id="main" tabIndex={-1} class="page">
        <Skeleton label="Opening your last room…" rows={3} />
      </main>
    );
  }
  return <Welcome me={props.me} friends={props.friends} />;
}

function Welcome(props: { me: UserRef; friends: FriendsView | null }) {
  const { me } = props;
  const list = useRoomList();
  const recent = list.rooms ? recentRooms(list.rooms, 6) : null;
  const online = props.friends?.state.friends.filter((friend) => friend.online) ?? [];
  return (
    <main id="main" tabIndex={-1} class="page welcome">
      <h1>Welcome, {me.name}</h1>
      <p class="lead">
        {me.guest
          ? "As a guest you can talk in the lobby and read every public room. Sign up to join rooms and make friends."
          : "Pick up a conversation, find a room to join, or start your own."}
      </p>
      <div class="actions welcome-actions">
        <Link href="/rooms" class="cta">
          Browse rooms
        </Link>
        {me.guest ? (
          <Link href="/signup" class="cta cta-secondary">
            Sign up
          </Link>
        ) : (
          <Link href="/rooms#create" class="cta cta-secondary">
            Create a room
          </Link>
        )}
      </div>
      <div class="welcome-grid">
        <section class="card" aria-labelledby="welcome-recent">
          <h2 id="welcome-recent">Recent rooms</h2>
          {recent === null && !list.error && <Skeleton label="Loading rooms…" rows={3} />}
          {list.error && <FormAlert message={list.error} />}
          {recent && (
            <ul class="room-list">
              {recent.map((room) => (
                <li key={room.id}>
                  <RoomLink room={room} />
                </li>
              ))}
            </ul>
          )}
        </section>
        {!me.guest && (
          <section class="card" aria-labelledby="welcome-friends">
            <h2 id="welcome-friends">Friends online</h2>
            {online.length === 0 ? (
              <p class="muted">
                {props.friends?.state.friends.length
                  ? "None of your friends is online right now."
                  : "No friends yet: add someone by their username under Friends."}
              </p>
            ) : (
              <ul class="welcome-friends">
                {online.map((friend) => (
                  <li key={friend.id}>
                    <span class="presence-dot is-online" aria-hidden="true" />
                    {friend.username}
                  </li>
                ))}
              </ul>
            )}
          </section>
        )}
      </div>
    </main>
  );
}

/** What a visitor sees first: what Chattr is, and three ways in. */
function Landing(props: { onGuest: (guest: UserRef) => void }) {
  return (
    <main id="main" tabIndex={-1} class="page landing">
      <section class="landing-hero" aria-labelledby="landing-title">
        <h1 id="landing-title">Talk with your people, live.</h1>
        <p class="landing-lead">
          Chattr is group chat you open from a link: public rooms anyone can read, private rooms behind a
          password, and direct messages with friends. Messages arrive the moment they are sent, and none are
          lost.
        </p>
        <div class="actions landing-actions">
          <Link href="/signup" class="cta">
            Sign up
          </Link>
          <Link href="/rooms" class="cta cta-secondary">
            Browse public rooms
          </Link>
        </div>
        <p class="muted">
          Have an account? <Link href="/login">Log in</Link>
        </p>
      </section>
      <GuestStart onGuest={props.onGuest} />
    </main>
  );
}

/** "Continue as guest": a name, then the lobby (the one room guests talk in). */
function GuestStart(props: { onGuest: (guest: UserRef) => void }) {
  return (
    <section class="card landing-guest" aria-labelledby="landing-guest-title">
      <h2 id="landing-guest-title">No account? Talk in the lobby</h2>
      <GuestForm
        id="landing-guest-name"
        class="inline-form"
        buttonClass="button-secondary"
        onGuest={(guest) => {
          props.onGuest(guest);
          navigate(roomPath("lobby"));
        }}
      />
    </section>
  );
}

function storedLastRoom(userId: string): string | null {
  try {
    return lastRoomOf(localStorage, userId);
  } catch {
    return null;
  }
}

function forgetStored(roomId: string): void {
  try {
    forgetLastRoom(localStorage, roomId);
  } catch {
    // No storage: nothing to forget.
  }
}
