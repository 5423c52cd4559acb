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
import { rememberLastRoom } from "./lib/last-room.ts";
import { roomList } from "./lib/room-list-store.ts";
import { navigate, returnPath, useRoute } from "./lib/router.ts";
import { forgetAccount, signedOutMessage } from "./lib/signed-out.ts";
import { useDrawer } from "./lib/use-drawer.ts";
import { LoginPage, SignupPage } from "./pages/auth-pages.tsx";
import { BrowsePage } from "./pages/browse-page.tsx";
import { HomePage } from "./pages/home-page.tsx";
import { InvitePage } from "./pages/invite-page.tsx";
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

/** Pages that sit in the three-column layout (the others are single forms, and the landing). */
const WITH_SIDEBAR = new Set(["home", "room", "browse", "settings", "not_found"]);

function Shell() {
  const route = useRoute();
  const [user, setUser] = useState<SessionUser>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);
  /** Why this tab was signed out from elsewhere, until the person signs in again. */
  const [signedOutNotice, setSignedOutNotice] = useState<string | null>(null);

  const checkSession = useCallback(() => {
    setBootError(null);
    sessionCheck().then(setUser, (error: unknown) => setBootError(describeError(error)));
  }, []);

  // A layout effect: right after the first render, not after the next frame (the page waits on it).
  useLayoutEffect(checkSession, []);
  // The live channel (friends, presence, invitations, room counts) lasts as long as the session.
  const friends = useFriendsHub(user);
  // The room list is the signed-in person's (or a visitor's): loaded again when that changes.
  const listOwner = user === undefined ? undefined : (user?.id ?? null);
  useEffect(() => {
    if (listOwner !== undefined) roomList.load();
  }, [listOwner]);

  // Ended elsewhere (a password change, "Sign out" in another browser): nothing of the
  // account stays on the screen or in this browser's storage, and the person is told why.
  const signedOut = useCallback((reason: string | null) => {
    forgetAccount(window.localStorage);
    setUser(null);
    roomList.reset();
    setSignedOutNotice(signedOutMessage(reason));
  }, []);
  const hubEnded = friends.view?.endedBecause ?? null;
  useEffect(() => {
    if (hubEnded !== null) signedOut(hubEnded);
  }, [hubEnded, signedOut]);

  const roomsDrawer = useDrawer("sidebar");
  const { close: closeRoomsDrawer } = roomsDrawer;
  // A link followed from the drawer has done its job.
  useEffect(() => closeRoomsDrawer(), [route, closeRoomsDrawer]);

  // Signed in already: the sign-in forms have nothing to offer (a guest may still sign up).
  const signedIn = user != null && !user.guest;
  useEffect(() => {
    if (signedIn && (route.name === "login" || route.name === "signup"))
      navigate(returnPath(), { replace: true });
  }, [signedIn, route]);

  // The room open now is where home takes this person next time (home checks they still may).
  const userId = user?.id ?? null;
  useEffect(() => {
    if (userId === null || route.name !== "room") return;
    try {
      rememberLastRoom(localStorage, userId, route.roomId);
    } catch {
      // No storage (private mode, policy): home shows the welcome instead.
    }
  }, [userId, route]);

  const onLogout = async () => {
    setLoggingOut(true);
    setLogoutError(null);
    try {
      await api.logout();
      forgetAccount(window.localStorage);
      setUser(null);
      navigate("/login");
    } catch (error) {
      setLogoutError(describeError(error));
    } finally {
      setLoggingOut(false);
    }
  };

  const onSessionEnded = signedOut;

  const onSignedIn = useCallback((signedIn: UserRef) => {
    setSignedOutNotice(null);
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
    // A room's placeholder has the room's box (class "chat"): the page that replaces it
    // then fills the same space instead of jumping sideways (a layout shift).
    page = (
      <main id="main" tabIndex={-1} class={route.name === "room" ? "chat" : "page"}>
        {/* The room's header row, empty, as the room page's own placeholder has it. */}
        {route.name === "room" && <div class="room-header" aria-hidden="true" />}
        <Skeleton label="Loading…" />
      </main>
    );
  } else if (route.name === "login") {
    page = <LoginPage onSignedIn={onSignedIn} />;
  } else if (route.name === "signup") {
    page = <SignupPage onSignedIn={onSignedIn} />;
  } else if (route.name === "browse") {
    page = <BrowsePage me={user} />;
  } else if (route.name === "invite") {
    // Visitors sign in right on the invite page and stay there to accept it.
    page = <InvitePage token={route.token} me={user} onSignedIn={setUser} />;
  } else if (route.name === "home") {
    page = <HomePage me={user} friends={friends.view} onGuest={onGuest} />;
  } else if (route.name === "settings") {
    page = user === null ? <LoginPage onSignedIn={setUser} /> : <SettingsPage me={user} />;
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

  // A visitor's home is the landing page, a page of its own.
  const landing = route.name === "home" && user === null;
  // A room's sidebar needs no answer from the session check (the room list's request carries
  // the cookie), so its column is there from the first frame: arriving with that answer, it
  // pushed the page sideways (a layout shift as the room opened).
  const withSidebar =
    !bootError && WITH_SIDEBAR.has(route.name) && !landing && (user !== undefined || route.name === "room");
  // Guests have a hub (they count as online) but no friends.
  const sidebarFriends =
    withSidebar && user && !user.guest && friends.hub && friends.view
      ? { hub: friends.hub, view: friends.view }
      : null;
  const sidebarLabel = sidebarFriends ? "Rooms and friends" : "Rooms";
  // For a page's own header: on a phone the room's header is the only row.
  const shell = {
    user: user ?? null,
    onLogout,
    loggingOut,
    roomsDrawer: withSidebar ? roomsDrawer : null,
    drawerLabel: sidebarLabel,
  };
  return (
    <div class="shell">
      <SkipLink />
      <AppHeader
        user={user ?? null}
        checking={user === undefined}
        onAuthPage={route.name === "login" || route.name === "signup"}
        onLogout={onLogout}
        loggingOut={loggingOut}
        roomsDrawer={withSidebar ? roomsDrawer : null}
        drawerLabel={sidebarLabel}
      />
      {logoutError && (
        <div class="page page-alert">
          <FormAlert message={logoutError} />
        </div>
      )}
      {signedOutNotice && user === null && (
        <div class="page page-alert signed-out-notice" role="status">
          <p>
            {signedOutNotice} <Link href="/login">Log in</Link>
          </p>
        </div>
      )}
      <div class="layout">
        {withSidebar && (
          <AppSidebar
            drawer={roomsDrawer}
            label={sidebarLabel}
            friends={sidebarFriends}
            currentRoomId={route.name === "room" ? route.roomId : null}
            account={user != null && !user.guest}
          />
        )}
        <ShellContext.Provider value={shell}>{page}</ShellContext.Provider>
      </div>
    </div>
  );
}
