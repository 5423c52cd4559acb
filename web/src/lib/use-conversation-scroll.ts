// Where the reader is in the conversation: following the end (new messages scroll into
// view and count as read), or reading back (older history loads near the top, the
// message on screen stays put when it arrives, and "Jump to latest" shows).
import type { RefObject } from "preact";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";

/** Pixels from the bottom within which the list keeps following new messages. */
const STICK_THRESHOLD = 80;
/** Pixels from the top within which older history starts loading. */
const LOAD_OLDER_MARGIN = 400;

function isAtBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD;
}

/** A row on screen and how far below the scroller's top it is: kept in place when history is prepended. */
interface ScrollAnchor {
  key: string;
  offset: number;
}

function topVisibleItem(scroller: HTMLElement): ScrollAnchor | null {
  const top = scroller.getBoundingClientRect().top;
  for (const item of scroller.querySelectorAll<HTMLElement>("[data-key]")) {
    const box = item.getBoundingClientRect();
    if (box.bottom > top) return { key: item.dataset.key ?? "", offset: box.top - top };
  }
  return null;
}

export interface ConversationScrollInput {
  historyLoaded: boolean;
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** The oldest confirmed seq held: changes when history is prepended. */
  firstSeq: number | undefined;
  /** The newest confirmed seq held: read once the reader is at the end. */
  lastSeq: number | undefined;
  /** Changes when something is added at the end (a message, or a send of mine). */
  lastKey: string | number | undefined;
  /** This user has sends in flight: the end is followed even when reading back. */
  sending: boolean;
  onRead: (seq: number) => void;
}

export function useConversationScroll(scroller: RefObject<HTMLDivElement>, input: ConversationScrollInput) {
  const atBottom = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const anchor = useRef<ScrollAnchor | null>(null);
  const positioned = useRef(false);
  const { hasOlder, loadingOlder, onLoadOlder, lastSeq } = input;
  const onRead = useRef(input.onRead);
  onRead.current = input.onRead;

  const loadOlder = useCallback(() => {
    const el = scroller.current;
    if (!el || !hasOlder || loadingOlder) return;
    anchor.current = topVisibleItem(el);
    onLoadOlder();
  }, [scroller, hasOlder, loadingOlder, onLoadOlder]);

  /** At the end: new messages are followed, and the newest is read if the page is visible. Else: the jump button. */
  const notePosition = (el: HTMLElement) => {
    atBottom.current = isAtBottom(el);
    setShowJump(!atBottom.current);
    if (atBottom.current && lastSeq !== undefined && document.visibilityState === "visible") {
      onRead.current(lastSeq);
    }
  };

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    notePosition(el);
    if (!positioned.current) return;
    if (loadingOlder) anchor.current = topVisibleItem(el);
    else if (el.scrollTop < LOAD_OLDER_MARGIN) loadOlder();
  };

  // Older messages were prepended: put the anchored row back where the reader saw it.
  useLayoutEffect(() => {
    const el = scroller.current;
    const held = anchor.current;
    if (!el || !held || loadingOlder) return;
    anchor.current = null;
    const item = el.querySelector<HTMLElement>(`[data-key="${CSS.escape(held.key)}"]`);
    if (!item) return;
    const offset = item.getBoundingClientRect().top - el.getBoundingClientRect().top;
    el.scrollTop += offset - held.offset;
  }, [input.firstSeq, loadingOlder]);

  // A short page left the top in view: keep loading until the view is filled or history ends.
  useEffect(() => {
    const el = scroller.current;
    if (el && positioned.current && !loadingOlder && el.scrollTop < LOAD_OLDER_MARGIN) loadOlder();
  }, [loadingOlder, loadOlder]);

  // New messages at the end: follow them if the reader was at the bottom or sent one.
  // The first history page opens at the "New messages" line, or else at the end.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || !input.historyLoaded) return;
    if (!positioned.current) {
      positioned.current = true;
      const unreadLine = el.querySelector<HTMLElement>(".divider-unread");
      if (unreadLine) {
        el.scrollTop += unreadLine.getBoundingClientRect().top - el.getBoundingClientRect().top - 8;
        notePosition(el);
        return;
      }
      atBottom.current = true;
    }
    if (atBottom.current || input.sending) el.scrollTop = el.scrollHeight;
    notePosition(el);
  }, [input.lastKey, input.historyLoaded]);

  const jumpToLatest = () => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    notePosition(el);
  };

  return { onScroll, loadOlder, showJump, jumpToLatest };
}
