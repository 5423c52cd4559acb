// The room's header: its name, topic and how many people, and one group of actions
// (Members, Invite friends, Invite link, Copy link, Set topic). On a phone (≤ 40rem) it is
// the page's only header row: the rooms drawer's button, the name, and one "⋯" menu that
// holds the actions and the account's entries (styles/room-chrome.css hides the app header).
import { useContext, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import type { Room } from "../lib/api.ts";
import type { FriendsView } from "../lib/friends-hub.ts";
import { roomPath, roomSigil } from "../lib/router.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { useRoomMembers } from "../lib/use-room-members.ts";
import { accountEntries } from "./account-menu.tsx";
import { CopyLink } from "./copy-link.tsx";
import { DrawerButton } from "./drawer.tsx";
import { Icon, type IconName } from "./icons.tsx";
import { InviteDialog } from "./invite-dialog.tsx";
import { InviteFriendsDialog } from "./invite-friends.tsx";
import { type MenuEntry, OverflowMenu } from "./overflow-menu.tsx";
import { ShellContext } from "./shell-context.ts";
import { TopicDialog } from "./topic-dialog.tsx";

interface Props {
  room: Room;
  /** The topic from the room's latest `room_updated`; undefined until one arrives. */
  liveTopic: string | null | undefined;
  me: UserRef | null;
  canWrite: boolean;
  friends: FriendsView | null;
  membersDrawer: DrawerControl;
  /** Who is in the room now (its presence). */
  here: UserRef[];
}

type Dialog = "invite-link" | "invite-friends" | "topic" | null;

interface Action {
  label: string;
  icon: IconName;
  run: () => void;
}

function countLabel(room: Room, memberCount: number | null, hereCount: number): string | null {
  if (room.visibility === "direct") return null;
  if (room.visibility === "private")
    return memberCount === null ? null : `${memberCount} ${memberCount === 1 ? "member" : "members"}`;
  return `${hereCount} here`;
}

export function RoomHeader(props: Props) {
  const { room, membersDrawer } = props;
  const shell = useContext(ShellContext);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [topic, setTopic] = useState<string | null>(room.topic ?? null);
  const [copied, setCopied] = useState("");
  const menuButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (props.liveTopic !== undefined) setTopic(props.liveTopic);
  }, [props.liveTopic]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(""), 4_000);
    return () => clearTimeout(timer);
  }, [copied]);

  const account = props.me && !props.me.guest ? props.me : null;
  const listed = account !== null && (room.visibility === "private" || room.visibility === "direct");
  const hereIds = [...new Set(props.here.map((user) => user.id))];
  const members = useRoomMembers(room.id, listed, hereIds.sort().join(","));
  const count = countLabel(room, members?.length ?? null, hereIds.length);
  const url = `${location.origin}${roomPath(room.id)}`;

  const close = () => setDialog(null);
  const actions: Action[] = [];
  if (props.friends && room.visibility !== "direct" && props.canWrite)
    actions.push({ label: "Invite friends", icon: "userPlus", run: () => setDialog("invite-friends") });
  if (room.visibility === "private" && room.member !== false)
    actions.push({ label: "Invite link", icon: "link", run: () => setDialog("invite-link") });
  if (room.owner) actions.push({ label: "Set topic", icon: "edit", run: () => setDialog("topic") });

  const copyFromMenu = async () => {
    try {
      if (!navigator.clipboard) throw new Error("no clipboard");
      await navigator.clipboard.writeText(url);
      setCopied("Link copied");
    } catch {
      setCopied(`Copy this link: ${url}`);
    }
  };

  const phoneEntries = (): MenuEntry[] => [
    {
      label: "Members",
      icon: "users",
      onSelect: () => {
        // Escape in the drawer brings focus back to this menu's button.
        membersDrawer.buttonRef.current = menuButton.current;
        membersDrawer.toggle();
      },
    },
    ...actions.map((action): MenuEntry => ({ label: action.label, icon: action.icon, onSelect: action.run })),
    // The room's own address (a DM's is of no use to anyone else).
    ...(room.visibility === "direct"
      ? []
      : [{ label: "Copy room link", icon: "copy", onSelect: () => void copyFromMenu() } satisfies MenuEntry]),
    // The app header (and its link home) is not shown on a phone in a room.
    { label: "All rooms", icon: "home", href: "/" },
    "separator",
    ...accountEntries(shell),
  ];

  return (
    <header class="room-header">
      {shell.roomsDrawer && <PhoneDrawerButton drawer={shell.roomsDrawer} label={shell.drawerLabel} />}
      <div class="room-heading">
        <h1 class="chat-title" id="chat-title" title={`${roomSigil(room.visibility)}${room.name}`}>
          {roomSigil(room.visibility)}
          {room.name}
        </h1>
        {(count || topic || room.owner) && (
          <p class="room-subtitle">
            {count && <span class="room-count">{count}</span>}
            {topic ? (
              <span class="room-topic" title={topic}>
                {topic}
              </span>
            ) : (
              room.owner && (
                <button type="button" class="btn-link room-add-topic" onClick={() => setDialog("topic")}>
                  Add a topic
                </button>
              )
            )}
          </p>
        )}
      </div>
      <div class="room-actions">
        <DrawerButton
          drawer={membersDrawer}
          label="Members"
          class="members-button"
          icon={<Icon name="users" />}
        />
        {actions.map((action) => (
          <button
            key={action.label}
            type="button"
            class="btn btn-quiet room-action"
            title={action.label}
            onClick={action.run}
          >
            <Icon name={action.icon} />
            <span class="room-action-label">{action.label}</span>
          </button>
        ))}
        {room.visibility !== "direct" && <CopyLink url={url} />}
      </div>
      <OverflowMenu
        id="room-menu"
        label="Room menu"
        class="room-menu"
        entries={phoneEntries}
        buttonRef={menuButton}
      />
      <span class="room-menu-status" role="status">
        {copied}
      </span>
      {room.visibility === "private" && room.member !== false && (
        <InviteDialog roomId={room.id} roomName={room.name} open={dialog === "invite-link"} onClose={close} />
      )}
      {props.friends && (
        <InviteFriendsDialog
          roomId={room.id}
          roomName={room.name}
          view={props.friends}
          open={dialog === "invite-friends"}
          onClose={close}
        />
      )}
      {room.owner && (
        <TopicDialog
          roomId={room.id}
          topic={topic}
          open={dialog === "topic"}
          onClose={close}
          onSaved={setTopic}
        />
      )}
    </header>
  );
}

/**
 * The rooms drawer's button in this row (phones). The drawer returns focus to the button
 * that opened it: this one while the room is open, the app header's again after.
 */
function PhoneDrawerButton(props: { drawer: DrawerControl; label: string }) {
  const { drawer } = props;
  const { buttonRef } = drawer;
  const mine = useRef<HTMLButtonElement>(null);
  const previous = useRef<HTMLButtonElement | null>(null);
  // On unmount only (buttonRef is stable; the drawer object is new each render).
  useLayoutEffect(
    () => () => {
      if (buttonRef.current === mine.current) buttonRef.current = previous.current;
    },
    [buttonRef],
  );
  const onClick = () => {
    if (drawer.buttonRef.current !== mine.current) {
      previous.current = drawer.buttonRef.current;
      drawer.buttonRef.current = mine.current;
    }
    drawer.toggle();
  };
  return (
    <button
      type="button"
      ref={mine}
      class="btn btn-quiet btn-icon room-drawer-button"
      aria-expanded={drawer.open}
      aria-controls={drawer.id}
      onClick={onClick}
    >
      <Icon name="menu" />
      <span class="visually-hidden">{props.label}</span>
    </button>
  );
}
