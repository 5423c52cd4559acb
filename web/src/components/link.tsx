import type { ComponentChildren } from "preact";
import { onLinkClick } from "../lib/router.ts";

export function Link(props: {
  href: string;
  class?: string;
  /** The page this link leads to is the one shown (aria-current="page"). */
  current?: boolean | undefined;
  children: ComponentChildren;
}) {
  return (
    <a
      href={props.href}
      class={props.class}
      aria-current={props.current ? "page" : undefined}
      onClick={onLinkClick}
    >
      {props.children}
    </a>
  );
}
