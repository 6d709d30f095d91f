import { useCallback, useEffect, useState } from 'react';
import { clearMediaCache } from './api/media';
import { openSession, Session, SessionRefused, storedToken } from './api/session';
import { Header } from './components/Header';
import { Forbidden, NotFound } from './components/Forbidden';
import { homeOf, screenFor } from './roles';
import { navigate, usePath } from './router';
import { SessionContext } from './session-context';
import { SignIn } from './screens/SignIn';
import { Dashboard } from './screens/dashboard/Dashboard';
import { Kiosk } from './screens/kiosk/Kiosk';
import { Review } from './screens/review/Review';
import { Admin } from './screens/admin/Admin';
import { unlockSound } from './components/sound';

type State =
  | { kind: 'signed-out'; message: string | null }
  | { kind: 'connecting'; token: string; restoring: boolean; cancel: () => void; unreachable: boolean }
  | { kind: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ kind: 'signed-out', message: null });

  const signIn = useCallback((token: string, restoring: boolean) => {
    const ended = (reason: string) => {
      clearMediaCache();
      setState({ kind: 'signed-out', message: reason });
    };
    const { session, cancel } = openSession(token, ended);
    setState({ kind: 'connecting', token, restoring, cancel, unreachable: false });
    const slow = window.setTimeout(() => setState((s) => (s.kind === 'connecting' ? { ...s, unreachable: true } : s)), 4000);
    session.then(
      (s) => {
        window.clearTimeout(slow);
        // Signed in at `/`: land on the role's own console in the same render, so no frame shows
        // `/` (or nothing) before the redirect.
        const home = homeOf(s.role);
        if (window.location.pathname === '/' && home !== '/') window.history.replaceState(null, '', home);
        setState({ kind: 'signed-in', session: s });
      },
      (error: unknown) => {
        window.clearTimeout(slow);
        setState({ kind: 'signed-out', message: error instanceof SessionRefused ? error.message : String(error) });
      },
    );
  }, []);

  // Restoring a session opens its socket, a side effect: it belongs in an effect, and the state
  // it sets (connecting) is what the screen shows meanwhile.
  useEffect(() => {
    const token = storedToken();
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (token) signIn(token, true);
  }, [signIn]);

  const signOut = useCallback(() => {
    setState((s) => {
      if (s.kind === 'signed-in') s.session.close();
      if (s.kind === 'connecting') s.cancel();
      return { kind: 'signed-out', message: 'Signed out.' };
    });
    clearMediaCache();
  }, []);

  if (state.kind !== 'signed-in') {
    return (
      <SignIn
        message={state.kind === 'signed-out' ? state.message : null}
        busy={state.kind === 'connecting' ? (state.unreachable ? 'Cannot reach the Vigil server yet; still trying…' : state.restoring ? 'Reconnecting…' : 'Checking the token…') : null}
        onSubmit={(token) => {
          unlockSound();
          signIn(token, false);
        }}
        onCancel={state.kind === 'connecting' ? signOut : undefined}
      />
    );
  }
  return (
    <SessionContext.Provider value={state.session}>
      <Routed session={state.session} onSignOut={signOut} />
    </SessionContext.Provider>
  );
}

function Routed({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const path = usePath();
  const home = homeOf(session.role);
  // A later visit to `/` (a link, the back button) by a role without the dashboard.
  const redirect = path === '/' && home !== '/';
  useEffect(() => {
    if (redirect) navigate(home, true);
  }, [redirect, home]);
  if (redirect) return null;

  const screen = screenFor(path);
  const allowed = screen !== null && screen.roles.includes(session.role);
  if (screen?.path === '/kiosk' && allowed) return <Kiosk onSignOut={onSignOut} />;
  return (
    <>
      <Header onSignOut={onSignOut} current={screen?.path ?? null} />
      <main id="main" tabIndex={-1}>
        {!screen ? (
          <NotFound />
        ) : !allowed ? (
          <Forbidden screen={screen} />
        ) : screen.path === '/' ? (
          <Dashboard />
        ) : screen.path === '/review' ? (
          <Review path={path} />
        ) : (
          <Admin path={path} />
        )}
      </main>
    </>
  );
}
