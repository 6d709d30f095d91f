import { FormEvent, useState } from 'react';
import { errorText } from '../api/http';
import { ROLE_LABEL } from '../roles';
import { useSession } from '../session-context';
import { Feedback } from '../components/Feedback';

/** The signed-in person's own account: change the password, end every session. */
export function Account({ onSignedOut }: { onSignedOut: () => void }) {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<string | null>(null);

  if (session.credentials.kind !== 'session') {
    return (
      <section className="panel notice">
        <h1>Account</h1>
        <p>You are using a device token; sign in with your username and password to manage your account.</p>
      </section>
    );
  }

  const change = async (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return setMessage('The two new passwords differ.');
    try {
      await session.api.post('/api/auth/password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setRepeat('');
      setMessage('Password changed. Your other sessions have been signed out.');
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const everywhere = async () => {
    if (!window.confirm('Sign out on every device, this one included?')) return;
    try {
      await session.api.post('/api/auth/sign-out-everywhere');
    } catch (e) {
      return setMessage(errorText(e));
    }
    onSignedOut();
  };

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="account-title">
        <h1 id="account-title">{session.tokenName}</h1>
        <p className="muted">Role: {ROLE_LABEL[session.role]}. An administrator changes roles and names.</p>
        <h2>Change your password</h2>
        <form onSubmit={(e) => void change(e)}>
          <label htmlFor="a-current">Current password</label>
          <input id="a-current" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
          <label htmlFor="a-next">New password (at least 12 characters)</label>
          <input id="a-next" type="password" autoComplete="new-password" minLength={12} value={next} onChange={(e) => setNext(e.target.value)} required />
          <label htmlFor="a-repeat">Repeat the new password</label>
          <input id="a-repeat" type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
          <button type="submit" className="button button--primary">
            Change password
          </button>
        </form>
        <Feedback text={message} />
      </section>
      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">Sessions</h2>
        <p>Lost a laptop or signed in on a shared screen? End every session of your account at once.</p>
        <button type="button" className="button button--danger" onClick={() => void everywhere()}>
          Sign out everywhere
        </button>
      </section>
    </div>
  );
}
