import { FormEvent, useCallback, useState } from 'react';
import type { MintedTokenView, RoleName, TokenView, UserView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useResource } from '../../api/useResource';
import { dateTime } from '../../components/format';
import { ROLE_LABEL } from '../../roles';
import { useSession } from '../../session-context';
import { ErrorLine } from '../../components/ErrorLine';
import { Feedback } from '../../components/Feedback';

const MINTABLE: RoleName[] = ['security', 'reviewer', 'kiosk'];

export function TokensAdmin() {
  const session = useSession();
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [minted, setMinted] = useState<MintedTokenView | null>(null);
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>('security');
  const [expires, setExpires] = useState('');
  const [owner, setOwner] = useState('');
  const [liveness, setLiveness] = useState<TokenView['liveness']>('required');
  const { data: users } = useResource(useCallback(() => session.api.get<UserView[]>('/api/users'), [session.api]));
  const ownerName = (id: string | null) => (id ? (users?.find((u) => u.id === id)?.username ?? '—') : 'nobody (automation)');

  const { data: tokens, error, reload } = useResource(useCallback(() => session.api.get<TokenView[]>(`/api/tokens?includeRevoked=${includeRevoked}`), [session.api, includeRevoked]));

  const mint = async (event: FormEvent) => {
    event.preventDefault();
    setMessage(null);
    try {
      const body = { name, role, ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}), ...(owner ? { ownerUserId: owner } : {}), ...(role === 'kiosk' ? { liveness } : {}) };
      setMinted(await session.api.post<MintedTokenView>('/api/tokens', body));
      setName('');
      setExpires('');
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const setTokenLiveness = async (t: TokenView, to: TokenView['liveness']) => {
    try {
      await session.api.patch<TokenView>(`/api/tokens/${t.id}`, { liveness: to });
      setMessage(to === 'required' ? `“${t.name}” now asks people to turn their head before booking.` : `“${t.name}” books on one frame again (no liveness check).`);
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  const revoke = async (t: TokenView) => {
    if (!window.confirm(`Revoke “${t.name}”? Screens using it are signed out at once.`)) return;
    try {
      await session.api.del(`/api/tokens/${t.id}`);
      setMessage(`“${t.name}” revoked.`);
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <div className="admin-grid">
      <section className="panel" aria-labelledby="tokens-title">
        <div className="section-head">
          <h1 id="tokens-title">Device and integration tokens</h1>
          <label className="check">
            <input type="checkbox" checked={includeRevoked} onChange={(e) => setIncludeRevoked(e.target.checked)} /> Show revoked
          </label>
        </div>
        <ErrorLine text={error} />
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Held by</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Liveness</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {tokens?.map((t) => (
              <tr key={t.id}>
                <th scope="row">{t.name}</th>
                <td>{ROLE_LABEL[t.role]}</td>
                <td>{ownerName(t.ownerUserId)}</td>
                <td>{dateTime(t.createdAt)}</td>
                <td>{t.expiresAt ? dateTime(t.expiresAt) : 'never'}</td>
                <td>{dateTime(t.lastUsedAt)}</td>
                <td>
                  {t.role !== 'kiosk' ? (
                    <span className="muted">—</span>
                  ) : t.revokedAt ? (
                    t.liveness
                  ) : (
                    <select
                      aria-label={`Liveness check for ${t.name}`}
                      value={t.liveness}
                      onChange={(e) => void setTokenLiveness(t, e.target.value as TokenView['liveness'])}
                    >
                      <option value="required">required</option>
                      <option value="off">off</option>
                    </select>
                  )}
                </td>
                <td>
                  {t.revokedAt ? (
                    `revoked ${dateTime(t.revokedAt)}`
                  ) : t.role === 'admin' ? (
                    <span className="muted">rotate with the CLI</span>
                  ) : (
                    <button type="button" className="button button--danger" onClick={() => void revoke(t)} aria-label={`Revoke ${t.name}`}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="panel" aria-labelledby="mint-title">
        <h2 id="mint-title">New token</h2>
        <form onSubmit={(e) => void mint(e)}>
          <label htmlFor="t-name">Name (where it is used)</label>
          <input id="t-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="Lobby kiosk" />
          <label htmlFor="t-role">Role</label>
          <select id="t-role" value={role} onChange={(e) => setRole(e.target.value as RoleName)}>
            {MINTABLE.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
          {role === 'kiosk' && (
            <>
              <label htmlFor="t-liveness">Liveness check (the kiosk asks people to turn their head, so a photo cannot check in)</label>
              <select id="t-liveness" value={liveness} onChange={(e) => setLiveness(e.target.value as TokenView['liveness'])}>
                <option value="required">required (recommended)</option>
                <option value="off">off — one frame books</option>
              </select>
            </>
          )}
          <label htmlFor="t-owner">Held by (the person answerable for the device)</label>
          <select id="t-owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
            <option value="">me</option>
            {users
              ?.filter((u) => !u.disabled)
              .map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName} ({u.username})
                </option>
              ))}
          </select>
          <label htmlFor="t-expires">Expires (optional)</label>
          <input id="t-expires" type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          <button type="submit" className="button button--primary">
            Create token
          </button>
        </form>
        <Feedback text={message} />
        {minted && (
          <div className="secret" role="alert">
            <p>
              Token for “{minted.name}” ({ROLE_LABEL[minted.role]}). Copy it now: it is shown only this once.
            </p>
            <code data-testid="minted-token">{minted.token}</code>
            <div className="row">
              <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(minted.token)}>
                Copy
              </button>
              <button type="button" className="button button--quiet" onClick={() => setMinted(null)}>
                Done
              </button>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
