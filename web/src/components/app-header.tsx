import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { loginPath, signupPath } from "../lib/router.ts";
import type { DrawerControl } from "../lib/use-drawer.ts";
import { UserMenu } from "./account-menu.tsx";
import { DrawerButton } from "./drawer.tsx";
import { Icon } from "./icons.tsx";
import { Link } from "./link.tsx";
import type { Shell } from "./shell-context.ts";
import { ThemeToggle } from "./theme-toggle.tsx";

interface Props {
  user: UserRef | null;
  /** The session is still being checked: show neither "Log in" nor the account menu yet. */
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

/**
 * The app's top row: the rooms drawer's button (phones), the name, and the account menu
 * (theme, Settings, Log out) behind the avatar. On a phone in a room the room's header
 * takes this row's place (styles/room-chrome.css).
 */
export function AppHeader(props: Props) {
  const { user } = props;
  const shell: Shell = {
    user,
    onLogout: props.onLogout,
    loggingOut: props.loggingOut ?? false,
    roomsDrawer: props.roomsDrawer,
    drawerLabel: props.drawerLabel,
  };
  return (
    <header class="app-header">
      {props.roomsDrawer && (
        <DrawerButton
          drawer={props.roomsDrawer}
          label={props.drawerLabel}
          class="rooms-button btn-icon"
          icon={<Icon name="menu" />}
          hideLabel
        />
      )}
      <Link href="/" class="brand">
        Chattr
      </Link>
      <span class="header-spacer" />
      {user?.guest && !props.onAuthPage && (
        <Link href={signupPath()} class="btn btn-secondary btn-sm">
          Sign up
        </Link>
      )}
      {user && <UserMenu shell={shell} user={user} />}
      {!user && !props.checking && (
        <nav class="session" aria-label="Account">
          <ThemeToggle />
          {!props.onAuthPage && (
            <>
              <Link href={loginPath()} class="btn btn-quiet btn-sm">
                Log in
              </Link>
              <Link href={signupPath()} class="btn btn-primary btn-sm">
                Sign up
              </Link>
            </>
          )}
        </nav>
      )}
    </header>
  );
}
