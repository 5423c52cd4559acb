import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { loginPath, signupPath } from "../lib/router.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { DrawerButton } from "./drawer.tsx";
import { GuestBadge } from "./guest-badge.tsx";
import { Link } from "./link.tsx";
import { ThemeToggle } from "./theme-toggle.tsx";

interface Props {
  user: UserRef | null;
  /** The session is still being checked: show neither "Log in" nor "Log out" yet. */
  checking?: boolean;
  /** The sign-in form is the page: no links to it. */
  onAuthPage?: boolean;
  onLogout: () => void;
  loggingOut?: boolean;
  /** The left sidebar's drawer, when this page has one (its button shows on phones only). */
  roomsDrawer: DrawerControl | null;
  /** What the sidebar holds: "Rooms", "Friends" or both. */
  drawerLabel: string;
}

export function AppHeader(props: Props) {
  const { user } = props;
  return (
    <header class="app-header">
      {props.roomsDrawer && (
        <DrawerButton
          drawer={props.roomsDrawer}
          label={props.drawerLabel}
          class="rooms-button"
          icon="☰"
          hideLabel
        />
      )}
      <Link href="/" class="brand">
        Chattr
      </Link>
      <span class="header-spacer" />
      <ThemeToggle />
      {user && (
        <div class="session">
          <span class="session-name" title="Signed in as">
            {user.name}
          </span>
          {user.guest && <GuestBadge />}
          {user.guest && !props.onAuthPage && (
            <Link href={signupPath()} class="header-link">
              Sign up
            </Link>
          )}
          {!user.guest && (
            <Link href="/settings" class="header-link">
              Settings
            </Link>
          )}
          <button type="button" class="button-quiet" onClick={props.onLogout} disabled={props.loggingOut}>
            Log out
          </button>
        </div>
      )}
      {!user && !props.checking && !props.onAuthPage && (
        <nav class="session" aria-label="Account">
          <Link href={loginPath()} class="header-link">
            Log in
          </Link>
          <Link href={signupPath()} class="header-link header-link-primary">
            Sign up
          </Link>
        </nav>
      )}
    </header>
  );
}
