import type { ComponentChildren } from "preact";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { GuestBadge } from "./guest-badge.tsx";

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

/** The time of day (the day divider above says which day), and the full date for a tooltip. */
function formatTime(iso: string): { short: string; full: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: "", full: "" };
  return { short: timeFormat.format(date), full: fullFormat.format(date) };
}

interface Props {
  /** Unique in the list; kept on the row for scroll anchoring. */
  itemKey: string;
  /** Confirmed messages only: watched for read receipts. */
  seq?: number | undefined;
  author: UserRef;
  createdAt: string;
  body: string;
  mine: boolean;
  pendingStatus?: string | undefined;
  /** Shows author and time; later messages of the group keep them for screen readers only. */
  startsGroup: boolean;
  /** Receipts or send status, after the time. */
  children?: ComponentChildren;
}

export function MessageRow(props: Props) {
  const time = formatTime(props.createdAt);
  const classes = [
    "message",
    props.mine ? "is-mine" : "",
    props.pendingStatus ? `is-${props.pendingStatus}` : "",
    props.startsGroup ? "" : "is-continued",
  ]
    .filter(Boolean)
    .join(" ");
  const hideForGroup = props.startsGroup ? undefined : "visually-hidden";
  return (
    <li class={classes} data-seq={props.seq} data-key={props.itemKey}>
      <div class="message-meta">
        <span class={hideForGroup}>
          <span class="message-author">{props.author.name}</span>
          {props.author.guest && <GuestBadge />}
        </span>
        <time class={hideForGroup ?? "message-time"} dateTime={props.createdAt} title={time.full}>
          {time.short}
        </time>
        {props.children}
      </div>
      {/* Rendered as a text node: whatever the body holds is shown, never parsed as HTML. */}
      <p class="message-body">{props.body}</p>
    </li>
  );
}
