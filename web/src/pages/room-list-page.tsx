import { useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { PasswordField } from "../components/password-field.tsx";
import { RoomList } from "../components/room-link.tsx";
import { api } from "../lib/api.ts";
import { friendsApi } from "../lib/friends-api.ts";
import { loginPath, navigate, roomPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { useRoomList } from "../lib/use-room-list.ts";

/**
 * The public rooms, the lobby and the user's private and direct rooms; visitors and guests
 * see it too. `onlineTotal` is live from the account's hub, or null to ask once.
 */
export function RoomListPage(props: { me: UserRef | null; onlineTotal: number | null }) {
  const list = useRoomList();
  return (
    <main id="main" tabIndex={-1} class="page">
      <section class="card">
        <div class="card-heading">
          <h1>Rooms</h1>
          <OnlineTotal live={props.onlineTotal} />
        </div>
        <RoomList list={list} />
      </section>
      {props.me && !props.me.guest ? (
        <CreateRoomForm />
      ) : (
        <section class="card">
          <h2>Create a room</h2>
          <p>
            <Link href={loginPath("/")}>Sign up or log in</Link> to create rooms and chat everywhere. Anyone
            can talk in the lobby.
          </p>
        </section>
      )}
    </main>
  );
}

function CreateRoomForm() {
  const [name, setName] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const [password, setPassword] = useState("");
  const { busy, error, onSubmit } = useFormAction(async () => {
    const room = await api.createRoom(name, isPrivate ? password : undefined);
    navigate(roomPath(room.id));
  });

  return (
    <section class="card">
      <h2>Create a room</h2>
      <form class="stack" onSubmit={onSubmit} aria-busy={busy}>
        <div class="field">
          <label for="room-name">Room name</label>
          <input
            id="room-name"
            required
            maxLength={64}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <div class="field field-check">
          <input
            id="room-private"
            type="checkbox"
            checked={isPrivate}
            onChange={(event) => setPrivate(event.currentTarget.checked)}
          />
          <label for="room-private">Private</label>
        </div>
        {isPrivate && (
          <PasswordField
            id="room-password"
            label="Room password"
            value={password}
            onValue={setPassword}
            autocomplete="new-password"
            minLength={4}
            maxLength={128}
            hint="4–128 characters. Share it with the people you invite."
          />
        )}
        <button type="submit" disabled={busy}>
          Create room
        </button>
      </form>
      <FormAlert message={error} />
    </section>
  );
}

/** "3 people online": live for accounts, asked once for guests and visitors. */
function OnlineTotal(props: { live: number | null }) {
  const [asked, setAsked] = useState<number | null>(null);
  useEffect(() => {
    if (props.live !== null) return;
    let current = true;
    friendsApi.onlineCount().then(
      (count) => current && setAsked(count),
      () => undefined, // A missing count is no reason to trouble anyone.
    );
    return () => {
      current = false;
    };
  }, [props.live]);
  const count = props.live ?? asked;
  if (count === null) return null;
  return (
    <p class="online-total muted">
      <span class="presence-dot is-online" aria-hidden="true" />
      {count === 1 ? "1 person online" : `${count} people online`}
    </p>
  );
}
