// Open/closed state of a panel that is a column on wide screens and a drawer on narrow
// ones (CSS decides which). The toggle button and the panel share one of these.
import { useCallback, useRef, useState } from "preact/hooks";

export interface DrawerControl {
  /** The panel's element id (the button's aria-controls). */
  id: string;
  open: boolean;
  toggle: () => void;
  /** Closes it; `returnFocus` puts focus back on the button (Escape, backdrop). */
  close: (returnFocus?: boolean) => void;
  buttonRef: { current: HTMLButtonElement | null };
}

export function useDrawer(id: string): DrawerControl {
  const [open, setOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const toggle = useCallback(() => setOpen((was) => !was), []);
  const close = useCallback((returnFocus = false) => {
    setOpen(false);
    if (returnFocus) buttonRef.current?.focus();
  }, []);
  return { id, open, toggle, close, buttonRef };
}
