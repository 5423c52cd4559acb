import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { loginPath } from "../lib/router.ts";
import { GuestForm } from "./guest-form.tsx";
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
      {!me && props.lobby && (
        <GuestForm id="guest-name" class="guest-form" buttonClass="btn btn-primary" onGuest={props.onGuest} />
      )}
    </div>
  );
}
