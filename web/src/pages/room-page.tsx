import { useCallback, useEffect, useLayoutEffect, useState } from "preact/hooks";
import { CloseCode, type UserRef } from "../../../worker/protocol/room-protocol.ts";
import { Conversation } from "../components/conversation.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { JoinPrompt } from "../components/join-prompt.tsx";
import { Link } from "../components/link.tsx";
import { LoadError, Skeleton } from "../components/load-state.tsx";
import { MembersPanel } from "../components/members-panel.tsx";
import { RoomHeader } from "../components/room-header.tsx";
import { ApiError, describeError, type Room } from "../lib/api.ts";
import { roomDetails } from "../lib/early.ts";
import type { FriendsView } from "../lib/friends-hub.ts";
import { roomSigil } from "../lib/router.ts";
import { showPage } from "../lib/tab-badge.ts";
import { countUnseen } from "../lib/timeline.ts";
import { useDrawer } from "../lib/use-drawer.ts";
import { useRoomSession } from "../lib/use-room-session.ts";

interface Props {
  roomId: string;
  /** null for a visitor with no session: the room is read-only. */
  me: UserRef | null;
  /** The session ended elsewhere; `reason` is the socket's close reason (why, for the person). */
  onSessionEnded: (reason: string | null) => void;
  /** A visitor continued as a guest (from the lobby). */
  onGuest: (guest: UserRef) => void;
  /** The account's friends (null for guests and visitors), for "Invite friends". */
  friends: FriendsView | null;
}

/** Who a visitor is to the room session: nobody, matching no author, with no stored outbox. */
const VISITOR: UserRef = { id: "", name: "", guest: true };

export function RoomPage(props: Props) {
  const [room, setRoom] = useState<Room | null>(null);
  const [loadError, setLoadError] = useState<{ notFound: boolean; message: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const membersDrawer = useDrawer("members");
  const { roomId, onSessionEnded, onGuest } = props;
  const me = props.me ?? VISITOR;

  // A layout effect: it runs right after the render instead of after the next frame, and
  // it is on the way to the room's first messages.
  useLayoutEffect(() => {
    let live = true;
    setRoom(null);
    setLoadError(null);
    roomDetails(roomId).then(
      (found) => live && setRoom(found),
      (error: unknown) => {
        if (!live) return;
        const notFound = error instanceof ApiError && error.status === 404;
        setLoadError({ notFound, message: notFound ? "This room does not exist." : describeError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [roomId, attempt]);

  // A private room's socket is refused to non-members: open it only once this user may read.
  const readable = room !== null && room.member !== false;
  const open = useRoomSession(readable ? room.id : null, me, me !== VISITOR);
  const session = open?.session;
  const snapshot = open?.state;

  // Messages from others not seen yet (tab hidden, or read back up): counted in the tab title.
  const unseen = snapshot ? countUnseen(snapshot.messages, snapshot.readUpTo, me.id) : 0;
  useEffect(() => {
    if (room) showPage(`${roomSigil(room.visibility)}${room.name}`, { id: room.id, unseen });
  }, [room, unseen]);
  useEffect(() => () => showPage(null), []);

  const onLoadOlder = useCallback(() => void session?.loadOlder(), [session]);

  const terminated = snapshot?.terminated;
  useEffect(() => {
    if (terminated?.code === CloseCode.SessionEnded) onSessionEnded(terminated.reason || null);
  }, [terminated, onSessionEnded]);

  if (loadError) {
    return (
      <main id="main" tabIndex={-1} class="page">
        <section class="card">
          <h1>{loadError.notFound ? "Room not found" : "Cannot open this room"}</h1>
          {loadError.notFound ? (
            <FormAlert message={loadError.message} />
          ) : (
            <LoadError message={loadError.message} onRetry={() => setAttempt((n) => n + 1)} />
          )}
          <p>
            <Link href="/">Back to the rooms</Link>
          </p>
        </section>
      </main>
    );
  }

  if (room && !readable) {
    return <JoinPrompt room={room} me={props.me} onJoined={setRoom} />;
  }

  if (!room || !session || !snapshot) {
    // The room's own box (class "chat") and an empty header row of the header's height, so
    // the room fills them without moving anything (layout shift); on a phone the header row
    // also takes the app header's place from the first frame, as the room's header will.
    return (
      <main id="main" tabIndex={-1} class="chat">
        <div class="room-header" aria-hidden="true" />
        <Skeleton label="Opening the room…" rows={5} />
      </main>
    );
  }

  // Until the room says (`ready`), guess from who this is: accounts write, guests in the lobby.
  const canWrite =
    snapshot.canWrite ?? (props.me !== null && (!props.me.guest || room.visibility === "lobby"));

  return (
    <>
      <main id="main" tabIndex={-1} class="chat" aria-labelledby="chat-title">
        <RoomHeader
          room={room}
          liveTopic={snapshot.topic}
          me={props.me}
          canWrite={canWrite}
          friends={props.friends}
          membersDrawer={membersDrawer}
          here={snapshot.online}
        />
        <Conversation
          room={room}
          me={me}
          account={props.me}
          session={session}
          state={snapshot}
          unseen={unseen}
          onLoadOlder={onLoadOlder}
          onGuest={onGuest}
        />
      </main>
      <MembersPanel room={room} here={snapshot.online} me={props.me} drawer={membersDrawer} />
    </>
  );
}
