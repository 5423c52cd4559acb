import type { ComponentChildren } from "preact";
import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { fullDateTime, timeOfDay } from "../lib/date-formats.ts";
import { Avatar } from "./avatar.tsx";
import { GuestBadge } from "./guest-badge.tsx";

/** The time of day (the day divider above says which day), and the full date for a tooltip. */
function formatTime(iso: string): { short: string; full: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { short: "", full: "" };
  return { short: timeOfDay().format(date), full: fullDateTime().format(date) };
}

interface Props {
  /** Unique in the list; kept on the row for scroll anchoring. */
  itemKey: string;
  /** Confirmed messages only: watched for read receipts. */
  seq?: number | undefined;
  author: UserRef;
  createdAt: string;
  /** The body, already split into text and links (see message-body.tsx). */
  body: ComponentChildren;
  /** waiting / sending / failed, for a send not confirmed yet. */
  pendingStatus?: string | undefined;
  /** First of a group: avatar, name and time. Later rows show the time on hover or focus. */
  startsGroup: boolean;
  /** Receipts or send status, below the body. */
  status?: ComponentChildren;
}

/** One message as a row: left-aligned for everyone, own messages included. */
export function MessageRow(props: Props) {
  const time = formatTime(props.createdAt);
  const classes = [
    "message",
    props.startsGroup ? "starts-group" : "is-continued",
    props.pendingStatus ? `is-${props.pendingStatus}` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const stamp = (className: string) => (
    <time class={className} dateTime={props.createdAt} title={time.full}>
      {time.short}
    </time>
  );
  return (
    <li class={classes} data-seq={props.seq} data-key={props.itemKey}>
      <div class="message-gutter">
        {props.startsGroup ? (
          <Avatar id={props.author.id} name={props.author.name} />
        ) : (
          <>
            {/* The group's header names the author; screen readers hear it on every row. */}
            <span class="visually-hidden">{props.author.name}</span>
            {stamp("message-time message-hover-time")}
          </>
        )}
      </div>
      <div class="message-main">
        {props.startsGroup && (
          <div class="message-meta">
            <span class="message-author">{props.author.name}</span>
            {props.author.guest && <GuestBadge />}
            {stamp("message-time")}
          </div>
        )}
        <p class="message-body">{props.body}</p>
        {props.status ? <div class="message-footer">{props.status}</div> : null}
      </div>
    </li>
  );
}
