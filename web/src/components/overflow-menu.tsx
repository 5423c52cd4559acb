// A button that opens a short menu of actions (the room's "⋯", the account menu). Keyboard
// as a menu should be: arrows move, Home/End jump, Escape closes and returns focus to the
// button, Tab leaves; a click outside closes it.
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { onLinkClick } from "../lib/router.ts";
import { Icon, type IconName } from "./icons.tsx";

export type MenuEntry =
  | {
      label: string;
      icon?: IconName;
      /** A link (e.g. Settings), or an action. */
      href?: string;
      onSelect?: () => void;
      danger?: boolean;
      disabled?: boolean;
    }
  | { heading: ComponentChildren }
  | "separator";

interface Props {
  /** The button's accessible name (e.g. "Room actions"). */
  label: string;
  /** What the button shows; the label's icon by default. */
  trigger?: ComponentChildren;
  /** A function when entries depend on something read as the menu opens (the theme). */
  entries: MenuEntry[] | (() => MenuEntry[]);
  id: string;
  class?: string;
  buttonClass?: string;
  /** Gets the button element, e.g. so a drawer opened from the menu returns focus to it. */
  buttonRef?: { current: HTMLButtonElement | null };
}

export function OverflowMenu(props: Props) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);

  useLayoutEffect(() => {
    if (props.buttonRef) props.buttonRef.current = button.current;
  });

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  };

  // Focus the first item as the menu appears (a layout effect: a key pressed at once lands).
  useLayoutEffect(() => {
    if (open) items()[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (menu.current?.contains(target) || button.current?.contains(target)) return;
      setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    const all = items();
    const active = document.activeElement;
    const at = active instanceof HTMLElement ? all.indexOf(active) : -1;
    const move = (to: number) => {
      event.preventDefault();
      all[(to + all.length) % all.length]?.focus();
    };
    switch (event.key) {
      case "Escape":
        event.preventDefault();
        event.stopPropagation();
        close(true);
        return;
      case "ArrowDown":
        return move(at + 1);
      case "ArrowUp":
        return move(at - 1);
      case "Home":
        return move(0);
      case "End":
        return move(all.length - 1);
      case "Tab":
        setOpen(false);
        return;
    }
  };

  // The button gets focus back before the action runs, so a dialog the action opens
  // returns focus to the button when it closes.
  const choose = (action: (() => void) | undefined) => () => {
    close(true);
    action?.();
  };

  return (
    <div class={`menu ${props.class ?? ""}`}>
      <button
        type="button"
        ref={button}
        class={props.buttonClass ?? "btn btn-quiet btn-icon"}
        aria-label={props.label}
        title={props.label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? props.id : undefined}
        onClick={() => setOpen((was) => !was)}
      >
        {props.trigger ?? <Icon name="more" />}
      </button>
      {open && (
        <div
          id={props.id}
          ref={menu}
          class="menu-popup"
          role="menu"
          aria-label={props.label}
          onKeyDown={onKeyDown}
        >
          {(typeof props.entries === "function" ? props.entries() : props.entries).map((entry, i) => {
            if (entry === "separator") return <hr key={`sep-${i}`} class="menu-separator" />;
            if ("heading" in entry)
              return (
                <div key={`heading-${i}`} class="menu-heading" role="presentation">
                  {entry.heading}
                </div>
              );
            const content = (
              <>
                {entry.icon && <Icon name={entry.icon} />}
                <span>{entry.label}</span>
              </>
            );
            const itemClass = `menu-item${entry.danger ? " is-danger" : ""}`;
            return entry.href ? (
              <a
                key={entry.label}
                role="menuitem"
                class={itemClass}
                href={entry.href}
                tabIndex={-1}
                onClick={(event) => {
                  onLinkClick(event);
                  choose(entry.onSelect)();
                }}
              >
                {content}
              </a>
            ) : (
              <button
                key={entry.label}
                type="button"
                role="menuitem"
                class={itemClass}
                tabIndex={-1}
                disabled={entry.disabled}
                onClick={choose(entry.onSelect)}
              >
                {content}
              </button>
            );
          })}
        </div>
      )}
    </div>
  );
}
