// What an empty conversation says: who can see the room and what to do next, for the
// person looking (a visitor, a guest, or someone who can write). Pure, unit-tested.
import type { RoomVisibility } from "../../../worker/protocol/room-protocol.ts";

export type Viewer = "visitor" | "guest" | "writer" | "reader";

export interface EmptyRoomText {
  title: string;
  /** Who can see the room. */
  audience: string;
  /** The next step, or null when the composer below is the next step and says so itself. */
  next: string | null;
}

function audienceOf(visibility: RoomVisibility, roomName: string): string {
  switch (visibility) {
    case "direct":
      return `Only you and ${roomName} can see this conversation.`;
    case "private":
      return "This room is private: only its members can see it.";
    case "lobby":
      return "Everyone can read the lobby, and anyone can talk here, guests included.";
    case "public":
      return "This room is public: anyone with its link can read it.";
    default:
      return visibility satisfies never;
  }
}

export function emptyRoomText(visibility: RoomVisibility, roomName: string, viewer: Viewer): EmptyRoomText {
  const audience = audienceOf(visibility, roomName);
  switch (viewer) {
    case "visitor":
      return {
        title: "No messages yet",
        audience,
        next:
          visibility === "lobby"
            ? "To join the conversation, sign up, log in, or continue as a guest below."
            : "To join the conversation, sign up or log in.",
      };
    case "guest":
      return {
        title: "No messages yet",
        audience,
        next: "Guests can talk in the lobby; sign up to talk here.",
      };
    case "reader":
      return { title: "No messages yet", audience, next: null };
    case "writer":
      return {
        title:
          visibility === "direct"
            ? `This is the start of your conversation with ${roomName}`
            : "No messages yet",
        audience,
        next: "Write the first message below.",
      };
    default:
      return viewer satisfies never;
  }
}
