import { CloseCode } from "../../../worker/protocol/room-protocol.ts";
import { Link } from "./link.tsx";

/** Why the room closed for good (4003 and the like), with the way back to the room list. */
export function RoomEnded(props: { terminated: { code: number; reason: string } | null }) {
  const { terminated } = props;
  if (!terminated || terminated.code === CloseCode.SessionEnded) return null;
  let message = "You no longer have access to this room.";
  if (terminated.code === CloseCode.AccessRemoved && /deleted/i.test(terminated.reason)) {
    message = "This room was deleted.";
  } else if (terminated.code === CloseCode.AccessRemoved && /removed/i.test(terminated.reason)) {
    message = "You were removed from this room.";
  } else if (terminated.code === CloseCode.TooManyConnections) {
    message =
      "This room is open in too many other tabs or rooms, so it was closed here. Reload to use it here.";
  }
  return (
    <div class="room-ended" role="alert">
      <p>{message}</p>
      <p>
        <Link href="/">Back to the rooms</Link>
      </p>
    </div>
  );
}
