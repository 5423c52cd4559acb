// Grows a textarea with its text, in every browser (CSS `field-sizing` is Chromium-only):
// the height follows scrollHeight, up to a share of the viewport, then it scrolls.
import type { RefObject } from "preact";
import { useLayoutEffect } from "preact/hooks";

/** The box never takes more than this share of the window's height. */
const MAX_VIEWPORT_SHARE = 0.4;

export function fitToContent(el: HTMLTextAreaElement): void {
  const cap = Math.round(window.innerHeight * MAX_VIEWPORT_SHARE);
  // Shrink first, so scrollHeight measures the text and not the box's current height.
  el.style.height = "auto";
  const needed = el.scrollHeight + (el.offsetHeight - el.clientHeight);
  el.style.height = `${Math.min(needed, cap)}px`;
  el.style.overflowY = needed > cap ? "auto" : "hidden";
}

/** Refits whenever `text` changes and when the window is resized. */
export function useAutosize(ref: RefObject<HTMLTextAreaElement>, text: string): void {
  useLayoutEffect(() => {
    if (ref.current) fitToContent(ref.current);
  }, [ref, text]);
  useLayoutEffect(() => {
    const refit = () => ref.current && fitToContent(ref.current);
    window.addEventListener("resize", refit);
    return () => window.removeEventListener("resize", refit);
  }, [ref]);
}
