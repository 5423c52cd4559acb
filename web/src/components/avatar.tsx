// A person's picture: their initials on a colour derived from their id, so the same
// person looks the same everywhere. (Placeholder with the props the conversation's
// Avatar has; that one replaces this file when it lands.)
import { avatarColour, initials } from "../lib/avatar-colour.ts";

export function Avatar(props: { id: string; name: string; size?: number }) {
  const size = props.size ?? 32;
  return (
    <span
      class="avatar"
      aria-hidden="true"
      style={{
        width: `${size}px`,
        height: `${size}px`,
        fontSize: `${Math.round(size * 0.42)}px`,
        background: avatarColour(props.id),
      }}
    >
      {initials(props.name)}
    </span>
  );
}
