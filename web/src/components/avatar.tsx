import { avatarLook } from "../lib/avatar.ts";
import "../styles/avatar.css";

interface Props {
  /** The user's id: the colour follows it, so renaming keeps the colour. */
  id: string;
  name: string;
  /** Pixels; 32 beside a message, smaller in lists. */
  size?: number;
}

/**
 * A person's generated avatar: initials on their colour. Decorative (the name is always
 * written beside it), so it is hidden from screen readers.
 */
export function Avatar(props: Props) {
  const look = avatarLook(props.id, props.name);
  const size = props.size ?? 32;
  // Below 24 px two letters are too small to read: one, larger.
  const small = size < 24;
  const letters = small ? (Array.from(look.initials)[0] ?? "") : look.initials;
  // Custom properties set through the CSSOM, which the CSP's `style-src 'self'` allows.
  const style = {
    "--avatar-light": look.light,
    "--avatar-dark": look.dark,
    "--avatar-size": `${size}px`,
    "--avatar-font": `${Math.round(size * (small ? 0.6 : 0.4))}px`,
  };
  return (
    // The initials are drawn from `data-initials` (see avatar.css), so they never join the
    // text of what sits beside them (a copied message, a button's name).
    <span class="avatar" style={style} data-initials={letters} aria-hidden="true" />
  );
}
