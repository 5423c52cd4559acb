import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef } from "preact/hooks";
import type { DrawerControl } from "../lib/use-drawer.ts";

interface DrawerProps {
  drawer: DrawerControl;
  /** The landmark: `nav` for the left sidebar, `aside` for the members panel. */
  as: "nav" | "aside";
  label: string;
  class: string;
  children: ComponentChildren;
}

/**
 * A side panel. Wide screens show it as a column (CSS); narrow ones hide it until the
 * drawer is opened, over a backdrop. Escape or a backdrop click closes it and returns
 * focus to its button.
 */
export function Drawer(props: DrawerProps) {
  const { drawer } = props;
  const panel = useRef<HTMLElement>(null);
  const { open, close } = drawer;

  // A layout effect, not a plain one: it runs as the open drawer is rendered, so an Escape
  // pressed as soon as the drawer shows closes it. A plain effect waits for a later frame,
  // and the browser test's Escape, pressed right after the drawer showed, was lost in 9
  // of 23 runs.
  useLayoutEffect(() => {
    if (!open) return;
    // Focus moves into the drawer so keyboard and screen reader users land in it.
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close(true);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open, close]);

  const Tag = props.as;
  return (
    <>
      <Tag
        id={drawer.id}
        ref={panel}
        class={`drawer ${props.class}${open ? " is-open" : ""}`}
        aria-label={props.label}
        tabIndex={-1}
      >
        {props.children}
      </Tag>
      {open && <div class="drawer-backdrop" aria-hidden="true" onClick={() => close(true)} />}
    </>
  );
}

/** The button that opens and closes a drawer (shown on narrow screens only, by CSS). */
export function DrawerButton(props: {
  drawer: DrawerControl;
  label: string;
  class: string;
  icon?: ComponentChildren;
  /** Icon only on screen; the label stays the button's name. */
  hideLabel?: boolean;
}) {
  const { drawer } = props;
  return (
    <button
      type="button"
      ref={drawer.buttonRef}
      class={`btn btn-quiet drawer-button ${props.class}`}
      aria-expanded={drawer.open}
      aria-controls={drawer.id}
      onClick={drawer.toggle}
    >
      {props.icon}
      <span class={props.hideLabel ? "visually-hidden" : undefined}>{props.label}</span>
    </button>
  );
}
