import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useLayoutEffect, useState } from "preact/hooks";
import type { UserRef } from "../../worker/protocol/room-protocol.ts";
import { AppHeader } from "./components/app-header.tsx";
import { AppSidebar } from "./components/app-sidebar.tsx";
import { ErrorBoundary } from "./components/error-boundary.tsx";
import { FormAlert } from "./components/form-alert.tsx";
import { Link } from "./components/link.tsx";
import { Skeleton } from "./components/load-state.tsx";
import { ShellContext } from "./components/shell-context.ts";
import { SkipLink } from "./components/skip-link.tsx";
import { api, describeError } from "./lib/api.ts";
import { sessionCheck } from "./lib/early.ts";
import { useFriendsHub } from "./lib/friends-hub.ts";
import { navigate, returnPath, useRoute } from "./lib/router.ts";
import { useDrawer } from "./lib/use-drawer.ts";
import { AuthPage } from "./pages/auth-page.tsx";
import { InvitePage } from "./pages/invite-page.tsx";
import { RoomListPage } from "./pages/room-list-page.tsx";
import { RoomPage } from "./pages/room-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";

/** `undefined` while the session is being checked, `null` when signed out. */
type SessionUser = UserRef | null | undefined;

/** The whole app, behind an error boundary so a rendering bug never leaves a blank page. */
export function App() {
  return (
    <ErrorBoundary>
      <Shell />
    </ErrorBoundary>
  );
}

/** Pages that sit in the three-column layout (the others are single forms). */
const WITH_SIDEBAR = new Set(["home", "room", "settings", "not_found"]);

function Shell() {
  const route = useRoute();
  const [user, setUser] = useState<SessionUser>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);

  const checkSession = useCallback(() => {
    setBootError(null);
    sessionCheck().then(setUser, (error: unknown) => setBootError(describeError(error)));
  }, []);

  // A layout effect: right after the first render, not after the next frame (the page waits on it).
  useLayoutEffect(checkSession, []);
  // The account's live channel (friends, presence, invitations) lasts as long as the session.
  const friends = useFriendsHub(user);

  const roomsDrawer = useDrawer("sidebar");
  const { close: closeRoomsDrawer } = roomsDrawer;
  // A link followed from the drawer has done its job.
  useEffect(() => closeRoomsDrawer(), [route, closeRoomsDrawer]);

  // Signed in already: the sign-in form has nothing to offer (a guest may still sign up).
  const signedIn = user != null && !user.guest;
  useEffect(() => {
    if (signedIn && route.name === "login") navigate(returnPath(), { replace: true });
  }, [signedIn, route]);

  const onLogout = async () => {
    setLoggingOut(true);
    setLogoutError(null);
    try {
      await api.logout();
      setUser(null);
      navigate("/login");
    } catch (error) {
      setLogoutError(describeError(error));
    } finally {
      setLoggingOut(false);
    }
  };

  const onSessionEnded = useCallback(() => setUser(null), []);

  const onSignedIn = useCallback((signedIn: UserRef) => {
    setUser(signedIn);
    navigate(returnPath(), { replace: true });
  }, []);

  // A guest (from "Continue as guest") stays on the page they are on.
  const onGuest = useCallback((guest: UserRef) => setUser(guest), []);

  let page: ComponentChildren;
  if (bootError) {
    page = (
      <main id="main" tabIndex={-1} class="page page-narrow">
        <section class="card">
          <h1>Chattr is unavailable</h1>
          <FormAlert message={bootError} />
          <button type="button" class="btn btn-primary" onClick={checkSession}>
            Try again
          </button>
        </section>
      </main>
    );
  } else if (user === undefined) {
    page = (
      <main id="main" tabIndex={-1} class="page">
        <Skeleton label="Loading…" />
      </main>
    );
  } else if (route.name === "login") {
    page = <AuthPage onSignedIn={onSignedIn} />;
  } else if (route.name === "invite") {
    // Visitors sign in right on the invite page and stay there to accept it.
    page = <InvitePage token={route.token} me={user} onSignedIn={setUser} />;
  } else if (route.name === "home") {
    page = <RoomListPage me={user} onlineTotal={friends.view?.state.onlineTotal ?? null} />;
  } else if (route.name === "settings") {
    page = user === null ? <AuthPage onSignedIn={setUser} /> : <SettingsPage me={user} />;
  } else if (route.name === "room") {
    page = (
      <RoomPage
        key={route.roomId}
        roomId={route.roomId}
        me={user}
        onSessionEnded={onSessionEnded}
        onGuest={onGuest}
        friends={friends.view}
      />
    );
  } else {
    page = (
      <main id="main" tabIndex={-1} class="page">
        <section class="card">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Go to the rooms</Link>
          </p>
        </section>
      </main>
    );
  }

  const withSidebar = user !== undefined && !bootError && WITH_SIDEBAR.has(route.name);
  // The home page's main content is the room list: the sidebar keeps only the friends.
  const sidebarRooms = withSidebar && route.name !== "home";
  const sidebarFriends =
    withSidebar && friends.hub && friends.view ? { hub: friends.hub, view: friends.view } : null;
  const sidebarLabel = sidebarRooms ? (sidebarFriends ? "Rooms and friends" : "Rooms") : "Friends";
  const roomsDrawerShown = sidebarRooms || sidebarFriends !== null;
  // For a page's own header: on a phone the room's header is the only row.
  const shell = {
    user: user ?? null,
    onLogout,
    loggingOut,
    roomsDrawer: roomsDrawerShown ? roomsDrawer : null,
    drawerLabel: sidebarLabel,
  };
  return (
    <div class="shell">
      <SkipLink />
      <AppHeader
        user={user ?? null}
        checking={user === undefined}
        onAuthPage={route.name === "login"}
        onLogout={onLogout}
        loggingOut={loggingOut}
        roomsDrawer={roomsDrawerShown ? roomsDrawer : null}
        drawerLabel={sidebarLabel}
      />
      {logoutError && (
        <div class="page page-alert">
          <FormAlert message={logoutError} />
        </div>
      )}
      <div class="layout">
        {withSidebar && (
          <AppSidebar
            drawer={roomsDrawer}
            label={sidebarLabel}
            friends={sidebarFriends}
            showRooms={sidebarRooms}
            currentRoomId={route.name === "room" ? route.roomId : null}
          />
        )}
        <ShellContext.Provider value={shell}>{page}</ShellContext.Provider>
      </div>
    </div>
  );
}
