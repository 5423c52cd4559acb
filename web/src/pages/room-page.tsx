import { useEffect, useMemo, useState } from "preact/hooks";
import { CloseCode, type UserRef } from "../../../worker/protocol/room-protocol.ts";
import { Composer } from "../components/composer.tsx";
import { ComposerLocked } from "../components/composer-locked.tsx";
import { ConnectionBanner } from "../components/connection-banner.tsx";
import { CopyLink } from "../components/copy-link.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { InviteLink } from "../components/invite-link.tsx";
import { JoinPrompt } from "../components/join-prompt.tsx";
import { Link } from "../components/link.tsx";
import { MessageList } from "../components/message-list.tsx";
import { OnlinePanel } from "../components/online-panel.tsx";
import { RoomEnded } from "../components/room-ended.tsx";
import { TypingIndicator } from "../components/typing-indicator.tsx";
import { ApiError, api, describeError, type Room } from "../lib/api.ts";
import { countMembers } from "../lib/receipts.ts";
import { RoomSession, type RoomSnapshot } from "../lib/room-session.ts";
import { roomPath } from "../lib/router.ts";

interface Props {
  roomId: string;
  /** null for a visitor with no session: the room is read-only. */
  me: UserRef | null;
  onSessionEnded: () => void;
  /** A visitor continued as a guest (from the lobby). */
  onGuest: (guest: UserRef) => void;
}

/** Who a visitor is to the room session: nobody, matching no author, with no stored outbox. */
const VISITOR: UserRef = { id: "", name: "", guest: true };

export function RoomPage(props: Props) {
  const [room, setRoom] = useState<Room | null>(null);
  const [loadError, setLoadError] = useState<{ notFound: boolean; message: string } | null>(null);
  const [session, setSession] = useState<RoomSession | null>(null);
  const [snapshot, setSnapshot] = useState<RoomSnapshot | null>(null);
  const { roomId, onSessionEnded, onGuest } = props;
  const me = props.me ?? VISITOR;

  useEffect(() => {
    let live = true;
    setRoom(null);
    setLoadError(null);
    api.room(roomId).then(
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
  }, [roomId]);

  // A private room's socket is refused to non-members: open it only once this user may read.
  const readable = room !== null && room.member !== false;
  useEffect(() => {
    if (!room || !readable) return;
    const opened = new RoomSession(room.id, me, me === VISITOR ? null : undefined);
    setSession(opened);
    setSnapshot(opened.snapshot);
    opened.subscribe(setSnapshot);
    opened.start();
    return () => opened.stop();
  }, [room, readable, me]);

  useEffect(() => {
    if (room) document.title = `#${room.name} · Chattr`;
    return () => {
      document.title = "Chattr";
    };
  }, [room]);

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

  const terminated = snapshot?.terminated;
  useEffect(() => {
    if (terminated?.code === CloseCode.SessionEnded) onSessionEnded();
  }, [terminated, onSessionEnded]);

  if (loadError) {
    return (
      <main class="page">
        <section class="card">
          <h1>{loadError.notFound ? "Room not found" : "Cannot open this room"}</h1>
          <FormAlert message={loadError.message} />
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
      <main class="page">
        <p class="muted">Opening the room…</p>
      </main>
    );
  }

  // Until the room says (`ready`), guess from who this is: accounts write, guests in the lobby.
  const canWrite =
    snapshot.canWrite ?? (props.me !== null && (!props.me.guest || room.visibility === "lobby"));

  return (
    <main class="chat">
      <div class="chat-header">
        <Link href="/" class="back-link">
          <span aria-hidden="true">←</span>
          <span class="visually-hidden">All rooms</span>
        </Link>
        <h1 class="chat-title">#{room.name}</h1>
        <CopyLink url={`${location.origin}${roomPath(room.id)}`} />
        <InviteLink room={room} />
      </div>
      <div class="chat-body">
        <div class="chat-main">
          <ConnectionBanner state={snapshot.connection} />
          <RoomEnded terminated={snapshot.terminated} />
          {snapshot.notice && <p class="notice">{snapshot.notice}</p>}
          <MessageList
            me={me}
            messages={snapshot.messages}
            pending={snapshot.pending}
            receipts={snapshot.receipts}
            groupRoom={groupRoom}
            hasOlder={snapshot.hasOlder}
            loadingOlder={snapshot.loadingOlder}
            onLoadOlder={() => void session.loadOlder()}
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
        </div>
        <OnlinePanel online={snapshot.online} me={me} />
      </div>
    </main>
  );
}
