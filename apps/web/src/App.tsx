import { useCallback, useEffect, useState } from 'react';
import type { SessionView } from '@vigil/contracts';
import { ApiError, Credentials, errorText, requestJson } from './api/http';
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
import { Account } from './screens/Account';
import { unlockSound } from './components/sound';

type State =
  | { kind: 'checking' }
  | { kind: 'signed-out'; message: string | null }
  | { kind: 'connecting'; restoring: boolean; cancel: () => void; unreachable: boolean }
  | { kind: 'signed-in'; session: Session };

/** `#setup=<code>` from the link a first start prints. */
function setupCodeOf(hash: string): string | null {
  const match = /^#setup=([A-Za-z0-9_-]{1,100})$/.exec(hash);
  return match ? match[1]! : null;
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'checking' });
  const [setupCode, setSetupCode] = useState(() => setupCodeOf(window.location.hash));

  const connect = useCallback((credentials: Credentials, restoring: boolean) => {
    const ended = (reason: string) => {
      clearMediaCache();
      setState({ kind: 'signed-out', message: reason });
    };
    const { session, cancel } = openSession(credentials, ended);
    setState({ kind: 'connecting', restoring, cancel, unreachable: false });
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

  /** Username and password (or the first start's setup form): the server sets the session cookie. */
  const signInWith = useCallback(
    (request: Promise<SessionView>) => {
      setState({ kind: 'connecting', restoring: false, cancel: () => undefined, unreachable: false });
      request.then(
        (view) => {
          if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
          setSetupCode(null);
          connect({ kind: 'session', csrfToken: view.csrfToken ?? '' }, false);
        },
        (error: unknown) => setState({ kind: 'signed-out', message: errorText(error) }),
      );
    },
    [connect],
  );

  // Restoring a session opens its socket, a side effect: it belongs in an effect. A device token
  // lives in this tab's storage; a person's session is the HttpOnly cookie, asked about here.
  useEffect(() => {
    const token = storedToken();
    if (token) {
      // eslint-disable-next-line react-hooks/set-state-in-effect
      connect({ kind: 'token', token }, true);
      return;
    }
    requestJson<SessionView>('GET', '/api/auth/session').then(
      (view) => (view.kind === 'session' && view.csrfToken ? connect({ kind: 'session', csrfToken: view.csrfToken }, true) : setState({ kind: 'signed-out', message: null })),
      (error: unknown) => setState({ kind: 'signed-out', message: error instanceof ApiError && error.status === 401 ? null : errorText(error) }),
    );
  }, [connect]);

  const signOut = useCallback(() => {
    setState((s) => {
      if (s.kind === 'signed-in') {
        const { session } = s;
        // Ends the server-side session too (the cookie is cleared); a token simply leaves this tab.
        if (session.credentials.kind === 'session') void session.api.post('/api/auth/sign-out').catch(() => undefined).finally(() => session.close());
        else session.close();
      }
      if (s.kind === 'connecting') s.cancel();
      return { kind: 'signed-out', message: 'Signed out.' };
    });
    clearMediaCache();
  }, []);

  if (state.kind === 'checking') return null;
  if (state.kind !== 'signed-in') {
    return (
      <SignIn
        message={state.kind === 'signed-out' ? state.message : null}
        busy={state.kind === 'connecting' ? (state.unreachable ? 'Cannot reach the Vigil server yet; still trying…' : state.restoring ? 'Reconnecting…' : 'Signing in…') : null}
        setupCode={setupCode}
        onPassword={(username, password) => {
          unlockSound();
          signInWith(requestJson<SessionView>('POST', '/api/auth/sign-in', { username, password }));
        }}
        onSetup={(form) => {
          unlockSound();
          signInWith(requestJson<SessionView>('POST', '/api/auth/setup', form));
        }}
        onToken={(token) => {
          unlockSound();
          connect({ kind: 'token', token }, false);
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
        ) : screen.path === '/account' ? (
          <Account onSignedOut={onSignOut} />
        ) : (
          <Admin path={path} />
        )}
      </main>
    </>
  );
}
