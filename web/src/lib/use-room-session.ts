// The open room's session for a page: started when the room may be read, stopped when the
// page leaves it, and its state re-rendered on every change.
import { useLayoutEffect, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { RoomSession } from "./room-session.ts";
import type { RoomState } from "./room-state.ts";

/** `storeOutbox: false` for a visitor, who never sends: no outbox is read or written. */
export function useRoomSession(
  roomId: string | null,
  me: UserRef,
  storeOutbox: boolean,
): { session: RoomSession; state: RoomState } | null {
  const [open, setOpen] = useState<{ session: RoomSession; state: RoomState } | null>(null);
  // A layout effect: it runs right after the render instead of after the next frame, and
  // it is on the way to the room's first messages.
  useLayoutEffect(() => {
    if (roomId === null) {
      setOpen(null);
      return;
    }
    const session = new RoomSession(roomId, me, storeOutbox ? undefined : null);
    setOpen({ session, state: session.snapshot });
    session.subscribe((state) => setOpen({ session, state }));
    session.start();
    return () => session.stop();
  }, [roomId, me, storeOutbox]);
  return open;
}
