import type { Room } from "../lib/api.ts";
import { emptyRoomText, type Viewer } from "../lib/empty-room.ts";

/** In place of messages in a room nobody has written in yet: who can see it, and what to do. */
export function EmptyConversation(props: { room: Room; viewer: Viewer }) {
  const text = emptyRoomText(props.room.visibility, props.room.name, props.viewer);
  return (
    <div class="empty-conversation">
      <p class="empty-title">{text.title}</p>
      <p>{text.audience}</p>
      {text.next && <p>{text.next}</p>}
    </div>
  );
}
