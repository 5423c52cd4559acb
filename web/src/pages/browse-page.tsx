// "Browse rooms": the public rooms this person has not joined, a page at a time, filtered
// by name, each with "Join" (accounts) or "Open" (guests and visitors read them); and
// "Create a room" for accounts.
import { useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { LoadError, Skeleton } from "../components/load-state.tsx";
import { PasswordField } from "../components/password-field.tsx";
import { api, describeError, type Room } from "../lib/api.ts";
import { browsableRooms } from "../lib/room-sections.ts";
import { navigate, roomPath, signupPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { announceRoomsChanged } from "../lib/use-room-list.ts";

/** Typing pauses this long before the filter asks the server. */
const FILTER_DELAY_MS = 250;

interface Listing {
  rooms: Room[];
  nextCursor: string | null;
  /** The filter these rooms answer. */
  filter: string;
}

export function BrowsePage(props: { me: UserRef | null }) {
  const account = props.me !== null && !props.me.guest;
  return (
    <main id="main" tabIndex={-1} class="page">
      <section class="card" aria-labelledby="browse-title">
        <h1 id="browse-title">Browse rooms</h1>
        <p class="lead">Public rooms you have not joined yet, most recently active first.</p>
        <PublicRooms account={account} />
      </section>
      {account ? (
        <CreateRoomForm />
      ) : (
        <section class="card">
          <h2>Create a room</h2>
          <p>
            <Link href={signupPath("/rooms")}>Sign up</Link> to create rooms and join the conversation. Anyone
            can talk in the lobby.
          </p>
        </section>
      )}
    </main>
  );
}

function usePublicRooms(filter: string) {
  const [listing, setListing] = useState<Listing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    const timer = setTimeout(() => {
      api.roomPage(filter, null).then(
        (page) => {
          if (!live) return;
          setListing({ rooms: page.rooms, nextCursor: page.nextCursor, filter });
          setError(null);
        },
        (failure: unknown) => live && setError(describeError(failure)),
      );
    }, FILTER_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [filter, attempt]);

  const loadMore = async () => {
    if (!listing?.nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await api.roomPage(listing.filter, listing.nextCursor);
      setListing((was) =>
        was && was.filter === listing.filter
          ? { ...was, rooms: [...was.rooms, ...page.rooms], nextCursor: page.nextCursor }
          : was,
      );
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoadingMore(false);
    }
  };
  return { listing, error, loadingMore, loadMore, retry: () => setAttempt((n) => n + 1) };
}

function PublicRooms(props: { account: boolean }) {
  const [filter, setFilter] = useState("");
  const { listing, error, loadingMore, loadMore, retry } = usePublicRooms(filter.trim());
  // The first page also carries the person's own rooms, which the server does not filter.
  const needle = (listing?.filter ?? "").toLowerCase();
  const rooms = listing
    ? browsableRooms(listing.rooms).filter((room) => room.name.toLowerCase().includes(needle))
    : null;
  return (
    <>
      <div class="field browse-filter">
        <label for="browse-filter">Filter by name</label>
        <input
          id="browse-filter"
          type="search"
          maxLength={64}
          autocomplete="off"
          value={filter}
          onInput={(event) => setFilter(event.currentTarget.value)}
        />
      </div>
      {error && <LoadError message={error} onRetry={retry} />}
      {rooms === null && !error && <Skeleton label="Loading rooms…" rows={4} />}
      {rooms && rooms.length === 0 && (
        <p class="muted" role="status">
          {needle
            ? `No public room you have not joined matches “${listing?.filter}”.`
            : "You are in every public room."}
        </p>
      )}
      {rooms && rooms.length > 0 && (
        <ul class="browse-list" aria-label="Public rooms">
          {rooms.map((room) => (
            <BrowseItem key={room.id} room={room} account={props.account} />
          ))}
        </ul>
      )}
      {listing?.nextCursor && (
        <button type="button" class="button-secondary browse-more" onClick={loadMore} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Show more rooms"}
        </button>
      )}
    </>
  );
}

function BrowseItem(props: { room: Room; account: boolean }) {
  const { room } = props;
  const [joining, setJoining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const join = async () => {
    setJoining(true);
    setError(null);
    try {
      await api.joinRoom(room.id, "");
      announceRoomsChanged();
      navigate(roomPath(room.id));
    } catch (caught) {
      setError(describeError(caught));
      setJoining(false);
    }
  };
  const online = room.online ?? 0;
  return (
    <li class="browse-item">
      <div class="browse-name">
        <Link href={roomPath(room.id)} class="browse-link">
          <span aria-hidden="true">#</span>
          {room.name}
        </Link>
        <span class="muted small">{online > 0 ? `${online} online` : "No one here now"}</span>
      </div>
      {props.account ? (
        <button type="button" onClick={join} disabled={joining} aria-label={`Join #${room.name}`}>
          Join
        </button>
      ) : null}
      <FormAlert message={error} />
    </li>
  );
}

function CreateRoomForm() {
  const [name, setName] = useState("");
  const [isPrivate, setPrivate] = useState(false);
  const [password, setPassword] = useState("");
  const { busy, error, onSubmit } = useFormAction(async () => {
    const room = await api.createRoom(name, isPrivate ? password : undefined);
    announceRoomsChanged();
    navigate(roomPath(room.id));
  });

  return (
    <section class="card" id="create" aria-labelledby="create-title">
      <h2 id="create-title">Create a room</h2>
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
