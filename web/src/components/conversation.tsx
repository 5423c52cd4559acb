import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { Room } from "../lib/api.ts";
import type { Viewer } from "../lib/empty-room.ts";
import type { RoomSession } from "../lib/room-session.ts";
import { type RoomState, typingUsers } from "../lib/room-state.ts";
import { Composer } from "./composer.tsx";
import { ComposerLocked } from "./composer-locked.tsx";
import { ConnectionBanner } from "./connection-banner.tsx";
import { EmptyConversation } from "./empty-conversation.tsx";
import { LoadError } from "./load-state.tsx";
import { MessageList } from "./message-list.tsx";
import { RoomEnded } from "./room-ended.tsx";
import { TypingIndicator } from "./typing-indicator.tsx";

interface Props {
  room: Room;
  /** Who the session is for (a visitor is an empty user). */
  me: UserRef;
  /** null for a visitor with no session. */
  account: UserRef | null;
  session: RoomSession;
  state: RoomState;
  unseen: number;
  onLoadOlder: () => void;
  onGuest: (guest: UserRef) => void;
}

/** The conversation column below the room header: status lines, the messages, the composer. */
export function Conversation(props: Props) {
  const { room, session, state, account } = props;
  // Until the room says (`ready`), guess from who this is: accounts write, guests in the lobby.
  const canWrite = state.canWrite ?? (account !== null && (!account.guest || room.visibility === "lobby"));
  const viewer: Viewer = canWrite
    ? "writer"
    : account === null
      ? "visitor"
      : account.guest
        ? "guest"
        : "reader";
  return (
    <>
      <ConnectionBanner state={state.connection} ended={state.terminated !== null} />
      <RoomEnded terminated={state.terminated} />
      {state.notice &&
        (state.canRetry ? (
          <LoadError message={state.notice} onRetry={() => session.retry()} />
        ) : (
          <p class="notice">{state.notice}</p>
        ))}
      <MessageList
        me={props.me}
        state={state}
        direct={room.visibility === "direct"}
        unseen={props.unseen}
        onLoadOlder={props.onLoadOlder}
        onRead={(seq) => session.markRead(seq)}
        onRetry={(clientId) => session.retrySend(clientId)}
        onDiscard={(clientId) => session.discard(clientId)}
        empty={<EmptyConversation room={room} viewer={viewer} />}
      />
      <TypingIndicator users={typingUsers(state)} />
      {canWrite ? (
        <Composer
          key={room.id}
          roomId={room.id}
          onSend={(text) => session.send(text)}
          onTextChange={(text) => session.typing(text)}
          onBlur={() => session.stopTyping()}
          disabled={state.terminated !== null}
        />
      ) : (
        <ComposerLocked me={account} lobby={room.visibility === "lobby"} onGuest={props.onGuest} />
      )}
    </>
  );
}
