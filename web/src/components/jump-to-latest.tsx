/** Shown while reading back: back to the newest message, with how many arrived meanwhile. */
export function JumpToLatest(props: { unseen: number; onJump: () => void }) {
  return (
    <button type="button" class="jump-latest" onClick={props.onJump}>
      <span aria-hidden="true">↓</span> Jump to latest
      {props.unseen > 0 && <span class="jump-count"> ({props.unseen} new)</span>}
    </button>
  );
}
