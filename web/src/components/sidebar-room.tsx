// One room in the sidebar, with "Leave" for the rooms that can be left (a confirmation
// first: a private room takes its password or an invite to come back).
import { useEffect, useRef, useState } from "preact/hooks";
import { api, describeError, type Room } from "../lib/api.ts";
import { forgetLastRoom } from "../lib/last-room.ts";
import { canLeave } from "../lib/room-sections.ts";
import { navigate } from "../lib/router.ts";
import { announceRoomsChanged } from "../lib/use-room-list.ts";
import { FormAlert } from "./form-alert.tsx";
import { RoomLink } from "./room-link.tsx";

export function SidebarRoom(props: { room: Room; current: boolean; leavable: boolean }) {
  const { room } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const leavable = props.leavable && canLeave(room);
  // The "Leave" button gives way to the question: focus goes to its answer, not to the page.
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  const leave = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.leaveRoom(room.id);
      forgetStoredRoom(room.id);
      if (props.current) navigate("/", { replace: true });
      announceRoomsChanged();
    } catch (caught) {
      setError(describeError(caught));
      setBusy(false);
    }
  };

  return (
    <li class={`sidebar-room${confirming ? " is-confirming" : ""}`}>
      <div class="sidebar-room-row">
        <RoomLink room={room} current={props.current} />
        {leavable && !confirming && (
          <button
            type="button"
            class="button-quiet sidebar-leave"
            aria-label={`Leave #${room.name}`}
            title={`Leave #${room.name}`}
            onClick={() => setConfirming(true)}
          >
            Leave
          </button>
        )}
      </div>
      {confirming && (
        <div class="sidebar-confirm">
          <p class="small">
            Leave <strong>#{room.name}</strong>?
            {room.visibility === "private" && " You will need its password or an invite to come back."}
          </p>
          <div class="friend-actions">
            <button type="button" class="button-danger" onClick={leave} disabled={busy} ref={confirmButton}>
              Leave room
            </button>
            <button type="button" class="button-quiet" onClick={() => setConfirming(false)} disabled={busy}>
              Stay
            </button>
          </div>
          <FormAlert message={error} />
        </div>
      )}
    </li>
  );
}

function forgetStoredRoom(roomId: string): void {
  try {
    forgetLastRoom(localStorage, roomId);
  } catch {
    // No storage here: nothing was remembered either.
  }
}
