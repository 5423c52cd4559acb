// A modal dialog on the native <dialog>: showModal() makes the rest of the page inert and
// traps focus, Escape closes it; the title names it; a Close button is always there; focus
// returns to what opened it.
import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import { Icon } from "./icons.tsx";

interface Props {
  open: boolean;
  onClose: () => void;
  id: string;
  title: ComponentChildren;
  class?: string;
  children: ComponentChildren;
}

export function ModalDialog(props: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const { open, onClose } = props;

  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      element.showModal();
    } else if (!open && element.open) {
      element.close();
    }
  }, [open]);

  // Escape, the Close button and a form with method="dialog" all end in `close`.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const onClosed = () => {
      onClose();
      // The opener may have been a menu item that is gone: then its menu's button has focus already.
      if (opener.current?.isConnected) opener.current.focus();
    };
    element.addEventListener("close", onClosed);
    return () => element.removeEventListener("close", onClosed);
  }, [onClose]);

  const titleId = `${props.id}-title`;
  return (
    <dialog ref={dialog} id={props.id} class={`modal ${props.class ?? ""}`} aria-labelledby={titleId}>
      <div class="modal-head">
        <h2 id={titleId} class="modal-title">
          {props.title}
        </h2>
        <button
          type="button"
          class="btn btn-quiet btn-icon btn-sm"
          aria-label="Close dialog"
          title="Close"
          onClick={() => dialog.current?.close()}
        >
          <Icon name="close" />
        </button>
      </div>
      {open && props.children}
    </dialog>
  );
}
