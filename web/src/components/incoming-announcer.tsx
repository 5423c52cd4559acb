import { useEffect, useRef, useState } from "preact/hooks";
import type { ChatMessage } from "../../../worker/protocol/room-protocol.ts";

/**
 * Says new messages from others once, politely: the log itself is not live, so neither
 * history pages nor receipt changes are read out.
 */
export function IncomingAnnouncer(props: { messages: ChatMessage[]; meId: string; ready: boolean }) {
  const [text, setText] = useState("");
  const announcedUpTo = useRef<number | null>(null);
  const lastSeq = props.messages.at(-1)?.seq ?? 0;
  useEffect(() => {
    if (!props.ready) return;
    const from = announcedUpTo.current;
    announcedUpTo.current = Math.max(from ?? 0, lastSeq);
    // The first history page is what was there already, not news.
    if (from === null) return;
    const incoming = props.messages.filter((m) => m.seq > from && m.author.id !== props.meId);
    const latest = incoming.at(-1);
    if (!latest) return;
    const prefix = incoming.length > 1 ? `${incoming.length} new messages. ` : "";
    setText(`${prefix}${latest.author.name}: ${latest.body}`);
  }, [props.ready, lastSeq, props.messages, props.meId]);
  return (
    <div class="visually-hidden" aria-live="polite" aria-atomic="true">
      {text}
    </div>
  );
}
