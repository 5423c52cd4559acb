import { useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { LockIcon } from "../components/lock-icon.tsx";
import { api, describeError, type Room } from "../lib/api.ts";
import { loginPath, navigate, roomPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";

/** The public rooms, the lobby and the user's private rooms; visitors and guests see it too. */
export function RoomListPage(props: { me: UserRef | null }) {
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.rooms().then(
        (list) => {
          if (!live) return;
          setRooms(list);
          setLoadError(null);
        },
        (error: unknown) => live && setLoadError(describeError(error)),
      );
    void load();
    // Unread and online counts move while the list is open: refresh when the tab comes
    // back and every half minute while it is visible.
    const onVisible = () => {
      if (document.visibilityState === "visible") void load();
    };
    const timer = setInterval(onVisible, 30_000);
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      live = false;
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, []);

  return (
    <main class="page">
      <section class="card">
        <h1>Rooms</h1>
        <FormAlert message={loadError} />
        {rooms === null && !loadError && <p class="muted">Loading rooms…</p>}
        {rooms && (
          <ul class="room-list">
            {rooms.map((room) => (
              <li key={room.id}>
                <Link href={roomPath(room.id)} class="room-link">
                  <span class="room-hash" aria-hidden="true">
                    #
                  </span>
                  <span class="room-name">{room.name}</span>
                  {room.visibility === "private" && <LockIcon label="private" />}
                  {room.visibility === "lobby" && <span class="room-tag">open to guests</span>}
                  <RoomCounts online={room.online ?? 0} unread={room.unread ?? 0} />
                </Link>
              </li>
            ))}
          </ul>
        )}
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

/** "3 unread" as a badge and "2 online" as quiet text; nothing when both are zero. */
function RoomCounts(props: { online: number; unread: number }) {
  return (
    <span class="room-counts">
      {props.online > 0 && <span class="room-online">{props.online} online</span>}
      {props.unread > 0 && (
        <span class="unread-badge" title={`${props.unread} unread`}>
          {props.unread > 99 ? "99+" : props.unread}
          <span class="visually-hidden"> unread</span>
        </span>
      )}
    </span>
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
          <div class="field">
            <label for="room-password">Room password</label>
            <input
              id="room-password"
              type="password"
              autocomplete="new-password"
              required
              minLength={4}
              maxLength={128}
              value={password}
              onInput={(event) => setPassword(event.currentTarget.value)}
            />
            <p class="hint">4–128 characters. Share it with the people you invite.</p>
          </div>
        )}
        <button type="submit" disabled={busy}>
          Create room
        </button>
      </form>
      <FormAlert message={error} />
    </section>
  );
}
