import { useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { FormAlert } from "../components/form-alert.tsx";
import { Link } from "../components/link.tsx";
import { accessApi, type InvitePreview } from "../lib/access-api.ts";
import { describeError } from "../lib/api.ts";
import { navigate, roomPath } from "../lib/router.ts";
import { SignupPage } from "./auth-pages.tsx";

/**
 * `/invite/:token`: says where the link leads and lets a signed-in account join. Visitors
 * sign in right here and stay on the same URL, so the "Join" button follows.
 */
export function InvitePage(props: {
  token: string;
  me: UserRef | null;
  onSignedIn: (user: UserRef) => void;
}) {
  const { token, me } = props;
  const [preview, setPreview] = useState<InvitePreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [joining, setJoining] = useState(false);
  const [joinError, setJoinError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setPreview(null);
    setLoadError(null);
    accessApi.previewInvite(token).then(
      (found) => live && setPreview(found),
      (error: unknown) => live && setLoadError(describeError(error)),
    );
    return () => {
      live = false;
    };
  }, [token]);

  const onJoin = async () => {
    if (joining) return;
    setJoining(true);
    setJoinError(null);
    try {
      const room = await accessApi.redeemInvite(token);
      navigate(roomPath(room.id), { replace: true });
    } catch (caught) {
      setJoinError(describeError(caught));
      setJoining(false);
    }
  };

  if (loadError) {
    return (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <section class="card">
          <h1>Invite link</h1>
          <FormAlert message={loadError} />
          <p>
            <Link href="/">Go to the rooms</Link>
          </p>
        </section>
      </main>
    );
  }

  if (!preview) {
    return (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <p class="muted">Opening the invite…</p>
      </main>
    );
  }

  const heading = <h1>Join {preview.room.name}?</h1>;

  if (me === null) {
    return (
      <>
        <div class="page page-narrow invite-prompt">
          <section class="card">
            {heading}
            <p>Sign up or log in first; you will come back here to join.</p>
          </section>
        </div>
        <SignupPage onSignedIn={props.onSignedIn} />
      </>
    );
  }

  if (me.guest) {
    return (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <section class="card">
          {heading}
          <p>Guests cannot join with an invite. Log out, then sign up or log in and open this link again.</p>
        </section>
      </main>
    );
  }

  return (
    <main id="main" tabIndex={-1} class="page page-narrow">
      <section class="card">
        {heading}
        <p class="lead">
          You were invited to the {preview.room.visibility} room {preview.room.name}.
        </p>
        <div class="actions">
          <button type="button" class="btn btn-primary" onClick={onJoin} disabled={joining}>
            Join
          </button>
          <Link href="/" class="btn-link">
            Not now
          </Link>
        </div>
        <FormAlert message={joinError} />
      </section>
    </main>
  );
}
