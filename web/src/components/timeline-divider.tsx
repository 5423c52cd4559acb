/** A day ("Today", "Monday, March 2") or the "New messages" line, between messages. */
export function TimelineDivider(props: { label: string; unread?: boolean }) {
  return (
    <li class={props.unread ? "divider divider-unread" : "divider"}>
      {/* Headings, so a screen reader can jump between days and to the new messages. */}
      <h2 class="divider-label">{props.label}</h2>
    </li>
  );
}
