import type { ComponentChildren } from "preact";
import { useMemo, useRef } from "preact/hooks";
import type { ChatMessage, UserRef } from "../../../worker/protocol/room-protocol.ts";
import { memo } from "../lib/memo.ts";
import { type PendingMessage, sameMessage } from "../lib/messages.ts";
import { type ReceiptMark, receiptMarks, sameMark } from "../lib/receipts.ts";
import type { RoomState } from "../lib/room-state.ts";
import { buildTimeline, type TimelineItem } from "../lib/timeline.ts";
import { useConversationScroll } from "../lib/use-conversation-scroll.ts";
import { useReadMarks } from "../lib/use-read-marks.ts";
import { IncomingAnnouncer } from "./incoming-announcer.tsx";
import { JumpToLatest } from "./jump-to-latest.tsx";
import { Skeleton } from "./load-state.tsx";
import { MessageBody } from "./message-body.tsx";
import { MessageRow } from "./message-row.tsx";
import { PendingStatus, ReceiptStatus } from "./message-status.tsx";
import { TimelineDivider } from "./timeline-divider.tsx";
import "../styles/conversation.css";

interface Props {
  me: UserRef;
  state: RoomState;
  /** A direct room: Sent / Delivered / Read on my last message, instead of "Seen by N". */
  direct: boolean;
  /** Messages from others after this user's read mark. */
  unseen: number;
  onLoadOlder: () => void;
  /** The message with this seq (and so every earlier one) has been seen on a visible page. */
  onRead: (seq: number) => void;
  onRetry: (clientId: string) => void;
  onDiscard: (clientId: string) => void;
  /** Shown when the room has no messages at all. */
  empty: ComponentChildren;
}

type Item = TimelineItem & { message?: ChatMessage; pending?: PendingMessage };

function timelineItems(messages: ChatMessage[], pending: PendingMessage[]): Item[] {
  return [
    ...messages.map((message) => ({
      key: `m${message.seq}`,
      seq: message.seq,
      authorId: message.author.id,
      createdAt: message.createdAt,
      message,
    })),
    ...pending.map((p) => ({
      key: `p${p.clientId}`,
      authorId: p.author.id,
      createdAt: p.createdAt,
      pending: p,
    })),
  ];
}

interface ConfirmedRowProps {
  entryKey: string;
  message: ChatMessage;
  startsGroup: boolean;
  mark: ReceiptMark | undefined;
}

/**
 * A message the room has confirmed. Rendered again only when what it shows changes: the
 * list renders on every frame, scroll state and receipt, and a room opens with dozens of rows.
 */
const ConfirmedRow = memo(
  (props: ConfirmedRowProps) => (
    <MessageRow
      itemKey={props.entryKey}
      seq={props.message.seq}
      author={props.message.author}
      createdAt={props.message.createdAt}
      body={<MessageBody text={props.message.body} />}
      startsGroup={props.startsGroup}
      status={props.mark && <ReceiptStatus mark={props.mark} />}
    />
  ),
  (a, b) =>
    a.entryKey === b.entryKey &&
    a.startsGroup === b.startsGroup &&
    sameMessage(a.message, b.message) &&
    sameMark(a.mark, b.mark),
);

/** The conversation: history with day dividers and the "New messages" line, then this user's sends. */
export function MessageList(props: Props) {
  const { me, state } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const lastSeq = state.messages.at(-1)?.seq;
  const scroll = useConversationScroll(scroller, {
    historyLoaded: state.historyLoaded,
    hasOlder: state.hasOlder,
    loadingOlder: state.loadingOlder,
    onLoadOlder: props.onLoadOlder,
    firstSeq: state.messages[0]?.seq,
    lastSeq,
    lastKey: state.pending.at(-1)?.clientId ?? lastSeq,
    sending: state.pending.length > 0,
    onRead: props.onRead,
  });
  useReadMarks(scroller, state.messages, props.onRead);

  const items = useMemo(() => timelineItems(state.messages, state.pending), [state.messages, state.pending]);
  const timeline = useMemo(
    () => buildTimeline(items, { meId: me.id, readAtOpen: state.readAtOpen, now: new Date() }),
    [items, me.id, state.readAtOpen],
  );

  const marks = useMemo(
    () => receiptMarks(state.messages, state.receipts, me.id, props.direct),
    [state.messages, state.receipts, me.id, props.direct],
  );

  const empty = state.messages.length === 0 && state.pending.length === 0;
  return (
    <div class="message-area">
      <div class="message-scroller" ref={scroller} onScroll={scroll.onScroll}>
        {!state.historyLoaded && <Skeleton label="Loading messages…" rows={5} />}
        {state.hasOlder && (
          <div class="load-older">
            <button
              type="button"
              class="button-quiet"
              onClick={scroll.loadOlder}
              disabled={state.loadingOlder}
            >
              {state.loadingOlder ? "Loading…" : "Load older messages"}
            </button>
          </div>
        )}
        {/* Not live itself (a log is polite by default): history pages would be read out.
            New messages from others are announced by <IncomingAnnouncer> instead. The log
            wraps the list rather than being it: a role on <ol> would unmake the list its
            items belong to. */}
        <div role="log" aria-live="off" aria-label="Chat history">
          <ol class="message-list">
            {timeline.map((entry) => {
              if (entry.kind === "day") return <TimelineDivider key={entry.key} label={entry.label} />;
              if (entry.kind === "unread")
                return <TimelineDivider key={entry.key} label="New messages" unread />;
              const { message, pending } = entry.item;
              if (pending) {
                return (
                  <MessageRow
                    key={entry.key}
                    itemKey={entry.key}
                    author={pending.author}
                    createdAt={pending.createdAt}
                    body={<MessageBody text={pending.body} />}
                    pendingStatus={pending.status}
                    startsGroup={entry.startsGroup}
                    status={
                      <PendingStatus
                        pending={pending}
                        onRetry={() => props.onRetry(pending.clientId)}
                        onDiscard={() => props.onDiscard(pending.clientId)}
                      />
                    }
                  />
                );
              }
              if (!message) return null;
              return (
                <ConfirmedRow
                  key={entry.key}
                  entryKey={entry.key}
                  message={message}
                  startsGroup={entry.startsGroup}
                  mark={marks.get(message.seq)}
                />
              );
            })}
          </ol>
        </div>
        {empty && state.historyLoaded && props.empty}
      </div>
      {scroll.showJump && <JumpToLatest unseen={props.unseen} onJump={scroll.jumpToLatest} />}
      <IncomingAnnouncer messages={state.messages} meId={me.id} ready={state.historyLoaded} />
    </div>
  );
}
