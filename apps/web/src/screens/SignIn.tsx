import { FormEvent, useState } from 'react';

export type SignInMode = 'password' | 'token' | 'setup';

export interface SignInProps {
  message: string | null;
  busy: string | null;
  /** The one-time code from a `#setup=` link: the first administrator's account is made here. */
  setupCode: string | null;
  onPassword: (username: string, password: string) => void;
  onToken: (token: string) => void;
  onSetup: (form: { code: string; username: string; displayName: string; password: string }) => void;
  onCancel?: () => void;
}

function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
      <circle cx="16" cy="16" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
      <circle cx="16" cy="16" r="3.5" fill="currentColor" />
    </svg>
  );
}

/**
 * People sign in with their username and password; devices (kiosks) and integrations with a
 * token an administrator issued. A first start's setup link opens the form that creates the
 * first administrator.
 */
export function SignIn(props: SignInProps) {
  const [mode, setMode] = useState<SignInMode>(props.setupCode ? 'setup' : 'password');
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const busy = props.busy !== null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    if (mode === 'token') {
      if (token.trim()) props.onToken(token.trim());
    } else if (mode === 'password') {
      if (username.trim() && password) props.onPassword(username.trim(), password);
    } else {
      if (password !== repeat) return setProblem('The two passwords differ.');
      props.onSetup({ code: props.setupCode ?? '', username: username.trim(), displayName: displayName.trim() || username.trim(), password });
    }
  };

  const title = mode === 'setup' ? 'Create the administrator account' : mode === 'token' ? 'Sign in with a device token' : 'Sign in to Vigil';
  return (
    <main className="signin" id="main">
      <form className="panel signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <Logo />
          {title}
        </h1>
        {mode === 'password' && (
          <>
            <label htmlFor="username">Username</label>
            <input id="username" name="username" autoComplete="username" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} disabled={busy} autoFocus required />
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} required />
            <p className="muted small">
              No account yet? An administrator creates it in the admin console (or with <code>npx vigil user add</code> on the server).
            </p>
          </>
        )}
        {mode === 'setup' && (
          <>
            <p className="muted">This link was printed by the server at its first start. It works once, for 24 hours.</p>
            <label htmlFor="username">Username</label>
            <input id="username" name="username" autoComplete="username" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} disabled={busy} autoFocus required />
            <label htmlFor="display-name">Your name</label>
            <input id="display-name" name="display-name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} disabled={busy} />
            <label htmlFor="password">Password (at least 12 characters; a few unrelated words work well)</label>
            <input id="password" name="password" type="password" autoComplete="new-password" minLength={12} value={password} onChange={(e) => setPassword(e.target.value)} disabled={busy} required />
            <label htmlFor="repeat">Repeat the password</label>
            <input id="repeat" name="repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} disabled={busy} required />
          </>
        )}
        {mode === 'token' && (
          <>
            <p className="muted">For kiosks and other devices: paste the token an administrator issued for this device. It is kept only until this tab is closed.</p>
            <label htmlFor="token">Device token</label>
            <input id="token" name="token" type="password" autoComplete="off" spellCheck={false} value={token} onChange={(e) => setToken(e.target.value)} disabled={busy} autoFocus required />
          </>
        )}
        <div className="row">
          <button type="submit" className="button button--primary" disabled={busy}>
            {mode === 'setup' ? 'Create and sign in' : 'Sign in'}
          </button>
          {props.onCancel && (
            <button type="button" className="button button--quiet" onClick={props.onCancel}>
              Cancel
            </button>
          )}
          {mode !== 'setup' && (
            <button type="button" className="button button--quiet" onClick={() => setMode(mode === 'token' ? 'password' : 'token')} disabled={busy}>
              {mode === 'token' ? 'Sign in with a password instead' : 'Use a device token'}
            </button>
          )}
        </div>
        <p className="signin__status" role="status" aria-live="polite">
          {props.busy}
        </p>
        {(problem ?? props.message) && !props.busy && (
          <p className={props.message === 'Signed out.' && !problem ? 'signin__info' : 'signin__error'} role="alert">
            {problem ?? props.message}
          </p>
        )}
      </form>
    </main>
  );
}
