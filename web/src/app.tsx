import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import type { UserRef } from "../../worker/protocol/room-protocol.ts";
import { AppHeader } from "./components/app-header.tsx";
import { FormAlert } from "./components/form-alert.tsx";
import { Link } from "./components/link.tsx";
import { api, describeError } from "./lib/api.ts";
import { navigate, returnPath, useRoute } from "./lib/router.ts";
import { AuthPage } from "./pages/auth-page.tsx";
import { InvitePage } from "./pages/invite-page.tsx";
import { RoomListPage } from "./pages/room-list-page.tsx";
import { RoomPage } from "./pages/room-page.tsx";
import { SettingsPage } from "./pages/settings-page.tsx";

/** `undefined` while the session is being checked, `null` when signed out. */
type SessionUser = UserRef | null | undefined;

export function App() {
  const route = useRoute();
  const [user, setUser] = useState<SessionUser>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const [logoutError, setLogoutError] = useState<string | null>(null);

  const checkSession = useCallback(() => {
    setBootError(null);
    api.me().then(setUser, (error: unknown) => setBootError(describeError(error)));
  }, []);

  useEffect(checkSession, []);

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
      <main class="page page-narrow">
        <section class="card">
          <h1>Chattr is unavailable</h1>
          <FormAlert message={bootError} />
          <button type="button" onClick={checkSession}>
            Try again
          </button>
        </section>
      </main>
    );
  } else if (user === undefined) {
    page = (
      <main class="page">
        <p class="muted">Loading…</p>
      </main>
    );
  } else if (route.name === "login") {
    page = <AuthPage onSignedIn={onSignedIn} />;
  } else if (route.name === "invite") {
    // Visitors sign in right on the invite page and stay there to accept it.
    page = <InvitePage token={route.token} me={user} onSignedIn={setUser} />;
  } else if (route.name === "home") {
    page = <RoomListPage me={user} />;
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
      />
    );
  } else {
    page = (
      <main class="page">
        <section class="card">
          <h1>Page not found</h1>
          <p>
            <Link href="/">Go to the rooms</Link>
          </p>
        </section>
      </main>
    );
  }

  return (
    <div class="shell">
      <AppHeader
        user={user ?? null}
        checking={user === undefined}
        onAuthPage={route.name === "login"}
        onLogout={onLogout}
        loggingOut={loggingOut}
      />
      {logoutError && (
        <div class="page">
          <FormAlert message={logoutError} />
        </div>
      )}
      {page}
    </div>
  );
}
