import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { ApiError, api, describeError, type Room } from "../lib/api.ts";
import { loginPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { FormAlert } from "./form-alert.tsx";
import { Link } from "./link.tsx";
import { LockIcon } from "./lock-icon.tsx";
import { PasswordField } from "./password-field.tsx";

/** A private room this user has not joined: its name, and its password (or sign in first). */
export function JoinPrompt(props: { room: Room; me: UserRef | null; onJoined: (room: Room) => void }) {
  const { room, me } = props;
  const [password, setPassword] = useState("");
  const { busy, error, onSubmit } = useFormAction(
    async () => props.onJoined(await api.joinRoom(room.id, password)),
    {
      describe: (caught) =>
        caught instanceof ApiError && caught.code === "wrong_password"
          ? "That password is not right for this room."
          : describeError(caught),
    },
  );

  return (
    <main id="main" tabIndex={-1} class="page page-narrow">
      <section class="card">
        <h1>#{room.name}</h1>
        <p class="lead">
          <LockIcon /> This room is private.
        </p>
        {me && !me.guest ? (
          <form class="stack" onSubmit={onSubmit} aria-busy={busy}>
            <PasswordField
              id="join-password"
              label="Room password"
              value={password}
              onValue={setPassword}
              autocomplete="off"
              maxLength={128}
              hint="Ask the person who shared the link for it. You need it only once."
            />
            <FormAlert message={error} />
            <div class="actions">
              <button type="submit" disabled={busy}>
                Join
              </button>
            </div>
          </form>
        ) : (
          <p>
            <Link href={loginPath()}>Sign up or log in</Link> to join it
            {me?.guest ? " (guests cannot join private rooms)" : ""}.
          </p>
        )}
        <p>
          <Link href="/">Back to the rooms</Link>
        </p>
      </section>
    </main>
  );
}
