// Small drawn icons for a message's state (never emoji: they render differently, or as
// boxes, from one system to the next). Decorative: the words beside them say the same.

export type StatusIconName = "clock" | "check" | "double-check" | "alert";

const PATHS: Record<StatusIconName, string> = {
  clock: "M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13ZM8 4.5V8l2.5 1.5",
  check: "M3 8.5 6.5 12 13 4.5",
  "double-check": "M1 8.5 4.5 12 11 4.5M7.5 11.5l.5.5 6.5-7.5",
  alert: "M8 1.5a6.5 6.5 0 1 1 0 13 6.5 6.5 0 0 1 0-13ZM8 4.5v4M8 11v.5",
};

export function StatusIcon(props: { name: StatusIconName }) {
  return (
    <svg
      class={`status-icon status-icon-${props.name}`}
      viewBox="0 0 16 16"
      width="14"
      height="14"
      aria-hidden="true"
      focusable="false"
    >
      <path
        d={PATHS[props.name]}
        fill="none"
        stroke="currentColor"
        stroke-width="1.6"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
