import { FormEvent, useState } from 'react';

export function SignIn(props: { message: string | null; busy: string | null; onSubmit: (token: string) => void; onCancel?: () => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) props.onSubmit(token.trim());
  };
  return (
    <main className="signin" id="main">
      <form className="panel signin__card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <svg aria-hidden="true" viewBox="0 0 32 32" width="28" height="28">
            <circle cx="16" cy="16" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
            <circle cx="16" cy="16" r="3.5" fill="currentColor" />
          </svg>
          Sign in to Vigil
        </h1>
        <p className="muted">
          Paste the access token an administrator gave you. It decides what you see: the security dashboard, the review console, the
          administration pages or the attendance kiosk. It is kept only until this tab is closed.
        </p>
        <p className="muted small">
          First start? The administrator token is printed in the server's console when Vigil starts for the first time (
          <code>npx vigil admin-token --rotate</code> issues a new one).
        </p>
        <label htmlFor="token">Access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          disabled={props.busy !== null}
          autoFocus
          required
        />
        <div className="row">
          <button type="submit" className="button button--primary" disabled={props.busy !== null || !token.trim()}>
            Sign in
          </button>
          {props.onCancel && (
            <button type="button" className="button button--quiet" onClick={props.onCancel}>
              Cancel
            </button>
          )}
        </div>
        <p className="signin__status" role="status" aria-live="polite">
          {props.busy}
        </p>
        {props.message && !props.busy && (
          <p className={props.message === 'Signed out.' ? 'signin__info' : 'signin__error'} role="alert">
            {props.message}
          </p>
        )}
      </form>
    </main>
  );
}
