import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { LoadError, Skeleton } from "../components/load-state.tsx";
import { PasswordField } from "../components/password-field.tsx";
import {
  accessApi,
  type OwnedRoom,
  type RoomInvite,
  type RoomMember,
  type SignedInSession,
} from "../lib/access-api.ts";
import { ApiError, describeError } from "../lib/api.ts";
import { timeAgo } from "../lib/relative-time.ts";
import { roomPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { useListAction } from "../lib/use-list-action.ts";
import { useLoad } from "../lib/use-load.ts";

/** Field names in the API's messages, as the form labels call them. */
const FIELD_LABELS: Record<string, string> = {
  currentPassword: "Current password",
  newPassword: "New password",
  password: "Room password",
  name: "Room name",
};

function explain(error: unknown): string {
  if (error instanceof ApiError && error.field && error.message.startsWith(`${error.field}: `)) {
    const rest = error.message.slice(error.field.length + 2);
    const label = FIELD_LABELS[error.field] ?? error.field;
    return `${label} ${rest}${/[.!?]$/.test(rest) ? "" : "."}`;
  }
  return describeError(error);
}

/** Account settings: the password, and the private rooms this account created. */
export function SettingsPage(props: { me: UserRef }) {
  if (props.me.guest) {
    return (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <section class="card">
          <h1>Settings</h1>
          <p>Settings are for accounts. Log out, then sign up or log in to get one.</p>
          <p>
            <Link href="/">Back to the rooms</Link>
          </p>
        </section>
      </main>
    );
  }
  return (
    <main id="main" tabIndex={-1} class="page">
      <h1 class="page-title">Settings</h1>
      <ChangePasswordForm />
      <SignedInSessions />
      <MyPrivateRooms />
    </main>
  );
}

function ChangePasswordForm() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useFormAction(
    async () => {
      setDone(false);
      await accessApi.changePassword(current, next);
      setCurrent("");
      setNext("");
      setDone(true);
    },
    { describe: explain, reusable: true },
  );

  return (
    <section class="card" aria-labelledby="settings-password">
      <h2 id="settings-password">Change password</h2>
      <form class="stack" onSubmit={onSubmit} aria-busy={busy}>
        <PasswordField
          id="settings-current-password"
          label="Current password"
          value={current}
          onValue={setCurrent}
          autocomplete="current-password"
          maxLength={256}
        />
        <PasswordField
          id="settings-new-password"
          label="New password"
          value={next}
          onValue={setNext}
          autocomplete="new-password"
          minLength={8}
          maxLength={256}
          hint="8–256 characters, not a common password, not containing your username. Your other sessions will be signed out."
        />
        <div class="actions">
          <button type="submit" class="btn btn-primary" disabled={busy}>
            Change password
          </button>
        </div>
        <FormAlert message={error} />
        <p class="form-status" role="status">
          {done ? "Password changed. Other sessions were signed out." : ""}
        </p>
      </form>
    </section>
  );
}

/** Where this account is signed in, with "Sign out" on each other browser. */
function SignedInSessions() {
  const {
    data: sessions,
    error: loadError,
    retry,
    setData,
  } = useLoad(accessApi.sessions, "sessions", explain);
  const { busy, error, status, run } = useListAction(async () => {
    const fresh = await accessApi.sessions();
    setData(() => fresh);
  }, explain);

  const onSignOut = (session: SignedInSession) =>
    void run(async () => {
      await accessApi.endSession(session.id);
      return `Signed out ${session.browser}.`;
    });
  const onSignOutOthers = () =>
    void run(async () => {
      await accessApi.endOtherSessions();
      return "Signed out everywhere else.";
    });
  const others = sessions?.filter((s) => !s.current) ?? [];

  return (
    <section class="card" aria-labelledby="settings-sessions">
      <h2 id="settings-sessions">Where you are signed in</h2>
      {loadError && <LoadError message={loadError} onRetry={retry} />}
      {sessions === null && !loadError && <Skeleton label="Loading your sessions…" rows={2} />}
      {sessions && (
        <ul class="room-people-list" aria-labelledby="settings-sessions">
          {sessions.map((session) => (
            <li key={session.id} class="room-people-row">
              <span class="room-people-name">
                {session.browser}
                <span class="muted">
                  {" · "}
                  {session.current ? (
                    "this device"
                  ) : (
                    <>
                      active <time dateTime={session.lastActiveAt}>{timeAgo(session.lastActiveAt)}</time>
                    </>
                  )}
                </span>
              </span>
              {!session.current && (
                <button
                  type="button"
                  class="btn btn-secondary"
                  aria-label={`Sign out ${session.browser}, active ${timeAgo(session.lastActiveAt)}`}
                  disabled={busy}
                  onClick={() => onSignOut(session)}
                >
                  Sign out
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <div class="actions">
          <button type="button" class="btn btn-secondary" disabled={busy} onClick={onSignOutOthers}>
            Sign out everywhere else
          </button>
        </div>
      )}
      <FormAlert message={error} />
      <p class="form-status" role="status">
        {status}
      </p>
    </section>
  );
}

function MyPrivateRooms() {
  const {
    data: rooms,
    error: loadError,
    retry,
    setData: setRooms,
  } = useLoad(accessApi.myRooms, "mine", explain);
  const [notice, setNotice] = useState("");

  const onRenamed = (id: string, name: string) => {
    setRooms((list) => list?.map((room) => (room.id === id ? { ...room, name } : room)) ?? null);
  };
  const onDeleted = (room: OwnedRoom) => {
    setRooms((list) => list?.filter((r) => r.id !== room.id) ?? null);
    setNotice(`Deleted ${room.name}.`);
  };

  return (
    <section class="card" aria-labelledby="settings-rooms">
      <h2 id="settings-rooms">My private rooms</h2>
      {loadError && <LoadError message={loadError} onRetry={retry} />}
      {rooms === null && !loadError && <Skeleton label="Loading your rooms…" />}
      {rooms?.length === 0 && <p class="muted">You have not created any private rooms yet.</p>}
      {rooms && rooms.length > 0 && (
        <ul class="owned-rooms">
          {rooms.map((room) => (
            <OwnedRoomItem key={room.id} room={room} onRenamed={onRenamed} onDeleted={onDeleted} />
          ))}
        </ul>
      )}
      <p class="form-status" role="status">
        {notice}
      </p>
    </section>
  );
}

function OwnedRoomItem(props: {
  room: OwnedRoom;
  onRenamed: (id: string, name: string) => void;
  onDeleted: (room: OwnedRoom) => void;
}) {
  const { room } = props;
  const [name, setName] = useState(room.name);
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState<"rename" | "password" | "delete" | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const base = `owned-${room.id}`;

  const run = async (action: "rename" | "password" | "delete", work: () => Promise<string | null>) => {
    if (busy) return;
    setBusy(action);
    setError(null);
    setStatus("");
    try {
      const message = await work();
      if (message) setStatus(message);
      setBusy(null);
    } catch (caught) {
      setError(explain(caught));
      setBusy(null);
    }
  };

  const onRename = (event: SubmitEvent) => {
    event.preventDefault();
    void run("rename", async () => {
      const renamed = await accessApi.renameRoom(room.id, name);
      props.onRenamed(room.id, renamed.name);
      setName(renamed.name);
      return `Renamed to ${renamed.name}.`;
    });
  };

  const onSetPassword = (event: SubmitEvent) => {
    event.preventDefault();
    void run("password", async () => {
      await accessApi.setRoomPassword(room.id, password);
      setPassword("");
      return "Room password changed.";
    });
  };

  const onConfirmDelete = () => {
    void run("delete", async () => {
      await accessApi.deleteRoom(room.id);
      props.onDeleted(room);
      return null;
    });
  };

  return (
    <li class="owned-room" aria-labelledby={`${base}-title`}>
      <h3 id={`${base}-title`} class="owned-room-title">
        <Link href={roomPath(room.id)}>{room.name}</Link>
      </h3>
      <form class="inline-form" onSubmit={onRename}>
        <div class="field">
          <label for={`${base}-name`}>Room name for {room.name}</label>
          <input
            id={`${base}-name`}
            required
            maxLength={64}
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy !== null}>
          Rename
        </button>
      </form>
      <form class="inline-form" onSubmit={onSetPassword}>
        <PasswordField
          id={`${base}-password`}
          label="New room password"
          value={password}
          onValue={setPassword}
          autocomplete="new-password"
          minLength={4}
          maxLength={128}
        />
        <button type="submit" class="btn btn-primary" disabled={busy !== null}>
          Set password
        </button>
      </form>
      <div class="actions">
        {confirming ? (
          <>
            <span class="danger-note">Delete {room.name} and all its messages?</span>
            <button type="button" class="btn btn-danger" onClick={onConfirmDelete} disabled={busy !== null}>
              Confirm delete
            </button>
            <button type="button" class="btn btn-secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" class="btn btn-secondary" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      <FormAlert message={error} />
      <p class="form-status" role="status">
        {status}
      </p>
      <RoomPeople room={room} />
    </li>
  );
}

/** The room's members and live invite links, with the owner's remove and revoke buttons. */
function RoomPeople(props: { room: OwnedRoom }) {
  const { room } = props;
  const base = `owned-${room.id}`;
  const people = useLoad(
    () => Promise.all([accessApi.roomMembers(room.id), accessApi.roomInvites(room.id)]),
    room.id,
    explain,
  );
  const [members, invites] = people.data ?? [null, null];
  const { busy, error, status, run } = useListAction(async () => {
    const lists = await Promise.all([accessApi.roomMembers(room.id), accessApi.roomInvites(room.id)]);
    people.setData(() => lists);
  }, explain);

  const onRemove = (member: RoomMember) => {
    void run(async () => {
      await accessApi.removeMember(room.id, member.id);
      return `Removed ${member.username}.`;
    });
  };

  const onRevoke = (invite: RoomInvite) => {
    void run(async () => {
      await accessApi.revokeInvite(room.id, invite.token);
      return "Invite link revoked.";
    });
  };

  return (
    <div class="room-people">
      <section class="room-people-part" aria-labelledby={`${base}-members`}>
        <h4 id={`${base}-members`} class="room-people-title">
          Members
        </h4>
        {people.error && <LoadError message={people.error} onRetry={people.retry} />}
        {members === null && !people.error && <Skeleton label="Loading members…" rows={2} />}
        {members && (
          <ul class="room-people-list" aria-labelledby={`${base}-members`}>
            {members.map((member) => (
              <li key={member.id} class="room-people-row">
                <span class="room-people-name">{member.username}</span>
                {member.role === "owner" ? (
                  <span class="room-people-badge">owner</span>
                ) : (
                  <button
                    type="button"
                    class="btn btn-danger btn-sm"
                    aria-label={`Remove ${member.username}`}
                    disabled={busy}
                    onClick={() => onRemove(member)}
                  >
                    Remove
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="room-people-part" aria-labelledby={`${base}-invites`}>
        <h4 id={`${base}-invites`} class="room-people-title">
          Invite links
        </h4>
        {invites === null && !people.error && <Skeleton label="Loading invite links…" rows={1} />}
        {invites?.length === 0 && <p class="muted">No live invite links.</p>}
        {invites && invites.length > 0 && (
          <ul class="room-people-list" aria-labelledby={`${base}-invites`}>
            {invites.map((invite) => (
              <li key={invite.token} class="room-people-row">
                <span class="room-people-name">
                  Expires{" "}
                  <time dateTime={invite.expiresAt}>{new Date(invite.expiresAt).toLocaleString()}</time>
                </span>
                <button
                  type="button"
                  class="btn btn-secondary btn-sm"
                  aria-label="Revoke invite link"
                  disabled={busy}
                  onClick={() => onRevoke(invite)}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
      <FormAlert message={error} />
      <p class="form-status" role="status">
        {status}
      </p>
    </div>
  );
}
