/** Marks a guest's name, so a guest can never pass for an account holder. */
export function GuestBadge() {
  return (
    <span class="guest-badge" title="Guest: no account">
      guest
    </span>
  );
}
