import { useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { api } from "../lib/api.ts";
import { loginPath } from "../lib/router.ts";
import { useFormAction } from "../lib/use-form-action.ts";
import { FormAlert } from "./form-alert.tsx";
import { Link } from "./link.tsx";

interface Props {
  /** null for a visitor with no session. */
  me: UserRef | null;
  /** The lobby lets a visitor continue as a guest. */
  lobby: boolean;
  onGuest: (guest: UserRef) => void;
}

/** In place of the composer where this socket may only read: how to join the conversation. */
export function ComposerLocked(props: Props) {
  const { me } = props;
  return (
    <div class="composer-locked">
      {me?.guest ? (
        <p>
          Guests can chat in the lobby only. <Link href={loginPath()}>Sign up</Link> to chat here.
        </p>
      ) : me ? (
        <p>You can read this room but not post in it.</p>
      ) : (
        <p>
          Join the conversation: <Link href={loginPath()}>Sign up</Link> or{" "}
          <Link href={loginPath()}>Log in</Link>
          {props.lobby ? ", or continue as a guest." : "."}
        </p>
      )}
      {!me && props.lobby && <GuestForm onGuest={props.onGuest} />}
    </div>
  );
}

function GuestForm(props: { onGuest: (guest: UserRef) => void }) {
  const [name, setName] = useState("");
  const { busy, error, onSubmit } = useFormAction(async () => props.onGuest(await api.guest(name)));

  return (
    <form class="guest-form" onSubmit={onSubmit} aria-busy={busy}>
      <div class="field">
        <label for="guest-name">Guest name</label>
        <input
          id="guest-name"
          required
          maxLength={32}
          autocomplete="nickname"
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="btn btn-primary" disabled={busy}>
        Continue as guest
      </button>
      <FormAlert message={error} />
    </form>
  );
}
