import { useEffect, useState } from "preact/hooks";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { api, describeError, type Room } from "../lib/api.ts";
import { navigate, roomPath } from "../lib/router.ts";

export function RoomListPage() {
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.rooms().then(
      (list) => live && setRooms(list),
      (error: unknown) => live && setLoadError(describeError(error)),
    );
    return () => {
      live = false;
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
                  {room.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CreateRoomForm />
    </main>
  );
}

function CreateRoomForm() {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onSubmit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const room = await api.createRoom(name);
      navigate(roomPath(room.id));
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <section class="card">
      <h2>Create a room</h2>
      <form class="inline-form" onSubmit={onSubmit} aria-busy={busy}>
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
        <button type="submit" disabled={busy}>
          Create room
        </button>
      </form>
      <FormAlert message={error} />
    </section>
  );
}
