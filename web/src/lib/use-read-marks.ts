// Read receipts from what is on screen: a message counts as seen once enough of it is in
// view while the page is visible. Reports the highest seq seen to `onRead`.
import type { RefObject } from "preact";
import { useEffect, useRef } from "preact/hooks";

const READ_THRESHOLDS = [0, 0.25, 0.5, 0.75, 1];

/** Whether enough of a message is on screen to count as seen. */
function isSeen(entry: IntersectionObserverEntry): boolean {
  if (!entry.isIntersecting) return false;
  if (entry.intersectionRatio >= 0.5) return true;
  // A message taller than the view counts once it fills half of it.
  const view = entry.rootBounds?.height ?? 0;
  return view > 0 && entry.intersectionRect.height >= view / 2;
}

/** Watches every `[data-seq]` row inside `scroller`; `version` changes when rows may have been added. */
export function useReadMarks(
  scroller: RefObject<HTMLElement>,
  version: unknown,
  onRead: (seq: number) => void,
): void {
  const observer = useRef<IntersectionObserver | null>(null);
  const report = useRef(onRead);
  report.current = onRead;

  useEffect(() => {
    const root = scroller.current;
    if (!root) return;
    const inView = new Set<number>();
    const flush = () => {
      if (document.visibilityState !== "visible" || inView.size === 0) return;
      report.current(Math.max(...inView));
    };
    const watcher = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const seq = Number((entry.target as HTMLElement).dataset.seq);
          if (!Number.isInteger(seq)) continue;
          if (isSeen(entry)) inView.add(seq);
          else inView.delete(seq);
        }
        flush();
      },
      { root, threshold: READ_THRESHOLDS },
    );
    observer.current = watcher;
    document.addEventListener("visibilitychange", flush);
    window.addEventListener("focus", flush);
    return () => {
      watcher.disconnect();
      observer.current = null;
      document.removeEventListener("visibilitychange", flush);
      window.removeEventListener("focus", flush);
    };
  }, [scroller]);

  // Observing an element twice is a no-op, so every change just observes them all.
  useEffect(() => {
    const watcher = observer.current;
    const root = scroller.current;
    if (!watcher || !root) return;
    for (const item of root.querySelectorAll("[data-seq]")) watcher.observe(item);
  }, [scroller, version]);
}
