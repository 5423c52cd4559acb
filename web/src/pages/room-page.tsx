import { useCallback, useEffect, useLayoutEffect, useMemo, useState } from "preact/hooks";
import { CloseCode, type UserRef } from "../../../worker/protocol/room-protocol.ts";
import { Composer } from "../components/composer.tsx";
import { ComposerLocked } from "../components/composer-locked.tsx";
import { ConnectionBanner } from "../components/connection-banner.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { JoinPrompt } from "../components/join-prompt.tsx";
import { Link } from "../components/link.tsx";
import { LoadError, Skeleton } from "../components/load-state.tsx";
import { MembersPanel } from "../components/members-panel.tsx";
import { MessageList } from "../components/message-list.tsx";
import { RoomEnded } from "../components/room-ended.tsx";
import { RoomHeader } from "../components/room-header.tsx";
import { TypingIndicator } from "../components/typing-indicator.tsx";
import { ApiError, describeError, type Room } from "../lib/api.ts";
import { roomDetails } from "../lib/early.ts";
import type { FriendsView } from "../lib/friends-hub.ts";
import { countMembers } from "../lib/receipts.ts";
import { RoomSession, type RoomSnapshot } from "../lib/room-session.ts";
import { roomSigil } from "../lib/router.ts";
import { countUnseen } from "../lib/timeline.ts";
import { useDrawer } from "../lib/use-drawer.ts";

interface Props {
  roomId: string;
  /** null for a visitor with no session: the room is read-only. */
  me: UserRef | null;
  onSessionEnded: () => void;
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
  const [session, setSession] = useState<RoomSession | null>(null);
  const [snapshot, setSnapshot] = useState<RoomSnapshot | null>(null);
  const [attempt, setAttempt] = useState(0);
  const membersDrawer = useDrawer("members");
  const { roomId, onSessionEnded, onGuest } = props;
  const me = props.me ?? VISITOR;

  // Layout effects, here and for the session: they run right after the render instead of
  // after the next frame, and both are on the way to the room's first messages.
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
  useLayoutEffect(() => {
    if (!room || !readable) return;
    const opened = new RoomSession(room.id, me, me === VISITOR ? null : undefined);
    setSession(opened);
    setSnapshot(opened.snapshot);
    opened.subscribe(setSnapshot);
    opened.start();
    return () => opened.stop();
  }, [room, readable, me]);

  // Messages from others not seen yet (tab hidden, or read back up): counted in the tab title.
  const unseen = snapshot ? countUnseen(snapshot.messages, snapshot.readUpTo, me.id) : 0;
  useEffect(() => {
    if (room)
      document.title = `${unseen > 0 ? `(${unseen}) ` : ""}${roomSigil(room.visibility)}${room.name} · Chattr`;
  }, [room, unseen]);
  useEffect(
    () => () => {
      document.title = "Chattr";
    },
    [],
  );

  // Members seen in receipts, presence or as authors: more than two makes it a group room.
  const receipts = snapshot?.receipts;
  const online = snapshot?.online;
  const messages = snapshot?.messages;
  const groupRoom = useMemo(
    () =>
      countMembers(
        me.id,
        (receipts ?? []).map((r) => ({ id: r.userId })),
        online ?? [],
        (messages ?? []).map((m) => m.author),
      ) > 2,
    [me.id, receipts, online, messages],
  );

  const onLoadOlder = useCallback(() => void session?.loadOlder(), [session]);

  const terminated = snapshot?.terminated;
  useEffect(() => {
    if (terminated?.code === CloseCode.SessionEnded) onSessionEnded();
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
    return (
      <main id="main" tabIndex={-1} class="page">
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
        <ConnectionBanner state={snapshot.connection} />
        <RoomEnded terminated={snapshot.terminated} />
        {snapshot.notice &&
          (snapshot.canRetry ? (
            <LoadError message={snapshot.notice} onRetry={() => session.retry()} />
          ) : (
            <p class="notice">{snapshot.notice}</p>
          ))}
        <MessageList
          me={me}
          messages={snapshot.messages}
          pending={snapshot.pending}
          receipts={snapshot.receipts}
          groupRoom={groupRoom}
          historyLoaded={snapshot.historyLoaded}
          hasOlder={snapshot.hasOlder}
          loadingOlder={snapshot.loadingOlder}
          onLoadOlder={onLoadOlder}
          readAtOpen={snapshot.readAtOpen}
          unseen={unseen}
          onRead={(seq) => session.markRead(seq)}
        />
        <TypingIndicator users={snapshot.typing} />
        {canWrite ? (
          <Composer
            onSend={(text) => session.send(text)}
            onTextChange={(text) => session.typing(text)}
            onBlur={() => session.stopTyping()}
            disabled={snapshot.terminated !== null}
          />
        ) : (
          <ComposerLocked me={props.me} lobby={room.visibility === "lobby"} onGuest={onGuest} />
        )}
      </main>
      <MembersPanel room={room} here={snapshot.online} me={props.me} drawer={membersDrawer} />
    </>
  );
}
