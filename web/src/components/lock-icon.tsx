/**
 * A small padlock, drawn so it shows without an emoji font. With `label` it is an image of
 * that name (the room list says "private"); without, it is decoration next to words.
 */
export function LockIcon(props: { label?: string }) {
  const drawing = (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a3.5 3.5 0 0 0-3.5 3.5V7H4a1 1 0 0 0-1 1v6a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V8a1 1 0 0 0-1-1h-.5V4.5A3.5 3.5 0 0 0 8 1Zm-2 6V4.5a2 2 0 1 1 4 0V7H6Z"
      />
    </svg>
  );
  if (!props.label) {
    return (
      <span class="lock-icon" aria-hidden="true">
        {drawing}
      </span>
    );
  }
  return (
    <span class="lock-icon" role="img" aria-label={props.label} title="Private room">
      {drawing}
    </span>
  );
}
