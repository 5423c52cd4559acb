import type { UserRef } from "../../../worker/protocol/room-protocol.ts";
import { Link } from "./link.tsx";

export function AppHeader(props: { user: UserRef | null; onLogout: () => void; loggingOut?: boolean }) {
  return (
    <header class="app-header">
      <Link href="/" class="brand">
        Chattr
      </Link>
      {props.user && (
        <div class="session">
          <span class="session-name" title="Signed in as">
            {props.user.name}
          </span>
          {!props.user.guest && (
            <Link href="/settings" class="header-link">
              Settings
            </Link>
          )}
          <button type="button" class="button-quiet" onClick={props.onLogout} disabled={props.loggingOut}>
            Log out
          </button>
        </div>
      )}
    </header>
  );
}
