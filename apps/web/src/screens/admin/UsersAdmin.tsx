import { FormEvent, useCallback, useState } from 'react';
import type { UserView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useResource } from '../../api/useResource';
import { ErrorLine } from '../../components/ErrorLine';
import { dateTime } from '../../components/format';
import { ROLE_LABEL } from '../../roles';
import { useSession } from '../../session-context';
import { Feedback } from '../../components/Feedback';

const USER_ROLES = ['admin', 'security', 'reviewer'] as const;
type UserRole = (typeof USER_ROLES)[number];

/** Staff accounts: who may sign in to which console. Disabling cuts the account off at once. */
export function UsersAdmin() {
  const session = useSession();
  const [message, setMessage] = useState<string | null>(null);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<UserRole>('security');
  const [password, setPassword] = useState('');
  const { data: users, error, reload } = useResource(useCallback(() => session.api.get<UserView[]>('/api/users'), [session.api]));

  const act = async (work: () => Promise<unknown>, done: string) => {
    setMessage(null);
    try {
      await work();
      setMessage(done);
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const create = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      await session.api.post('/api/users', { username, displayName: displayName || username, role, ...(password ? { password } : {}) });
      setUsername('');
      setDisplayName('');
      setPassword('');
    }, `Account “${username.trim().toLowerCase()}” created.`);
  };

  const resetPassword = (u: UserView) => {
    const next = window.prompt(`New password for ${u.username} (at least 12 characters). Their sessions end.`);
    if (next) void act(() => session.api.post(`/api/users/${u.id}/password`, { password: next }), `Password of “${u.username}” set.`);
  };

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="users-title">
        <h1 id="users-title">Staff accounts</h1>
        <ErrorLine text={error} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users?.map((u) => (
              <tr key={u.id} className={u.disabled ? 'muted' : undefined}>
                <th scope="row">{u.username}</th>
                <td>{u.displayName}</td>
                <td>
                  <select
                    aria-label={`Role of ${u.username}`}
                    value={u.role}
                    onChange={(e) => void act(() => session.api.patch(`/api/users/${u.id}`, { role: e.target.value }), `“${u.username}” is now ${ROLE_LABEL[e.target.value as UserRole]}.`)}
                  >
                    {USER_ROLES.map((r) => (
                      <option key={r} value={r}>
                        {ROLE_LABEL[r]}
                      </option>
                    ))}
                  </select>
                </td>
                <td>{u.disabled ? 'disabled' : !u.hasPassword ? 'no password yet' : dateTime(u.lastSignInAt)}</td>
                <td>
                  <div className="actions">
                    <button type="button" className="button" onClick={() => resetPassword(u)} aria-label={`Set password of ${u.username}`}>
                      Set password
                    </button>
                    {u.disabled ? (
                      <button type="button" className="button" onClick={() => void act(() => session.api.patch(`/api/users/${u.id}`, { disabled: false }), `“${u.username}” enabled.`)} aria-label={`Enable ${u.username}`}>
                        Enable
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button button--danger"
                        aria-label={`Disable ${u.username}`}
                        onClick={() => {
                          if (window.confirm(`Disable “${u.username}”? Their sessions, tokens and open consoles stop working at once.`)) {
                            void act(() => session.api.patch(`/api/users/${u.id}`, { disabled: true }), `“${u.username}” disabled.`);
                          }
                        }}
                      >
                        Disable
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="new-user-title">
        <h2 id="new-user-title">New account</h2>
        <form onSubmit={create}>
          <label htmlFor="u-username">Username</label>
          <input id="u-username" value={username} onChange={(e) => setUsername(e.target.value)} required minLength={2} maxLength={64} spellCheck={false} autoComplete="off" />
          <label htmlFor="u-name">Name</label>
          <input id="u-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} maxLength={100} />
          <label htmlFor="u-role">Role</label>
          <select id="u-role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
          <label htmlFor="u-password">Initial password (optional, at least 12 characters)</label>
          <input id="u-password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={12} />
          <button type="submit" className="button button--primary">
            Create account
          </button>
        </form>
        <Feedback text={message} />
      </section>
    </div>
  );
}
