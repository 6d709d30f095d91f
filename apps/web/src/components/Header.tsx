import { useObservable } from '../api/store';
import { ROLE_LABEL, SCREENS } from '../roles';
import { useSession } from '../session-context';
import { Link } from './Link';

const CONNECTION_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' } as const;

export function Header({ onSignOut, current }: { onSignOut: () => void; current: string | null }) {
  const session = useSession();
  const connection = useObservable(session.connection);
  const screens = SCREENS.filter((s) => s.roles.includes(session.role) && s.path !== '/kiosk' && s.path !== '/account');
  return (
    <header className="topbar">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <span className="brand" aria-label="Vigil">
        <svg aria-hidden="true" viewBox="0 0 32 32" width="22" height="22">
          <circle cx="16" cy="16" r="9" fill="none" stroke="currentColor" strokeWidth="3" />
          <circle cx="16" cy="16" r="3.5" fill="currentColor" />
        </svg>
        Vigil
      </span>
      <nav aria-label="Consoles">
        <ul>
          {screens.map((s) => (
            <li key={s.path}>
              <Link href={s.path} aria-current={current === s.path ? 'page' : undefined}>
                {s.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <span className={`conn conn--${connection}`} role="status" data-testid="connection">
        <span className="dot" aria-hidden="true" />
        {CONNECTION_TEXT[connection]}
      </span>
      <span className="who">
        {session.credentials.kind === 'session' ? (
          <Link href="/account" aria-current={current === '/account' ? 'page' : undefined} title="Your account: password, sessions">
            {session.tokenName}
          </Link>
        ) : (
          session.tokenName
        )}{' '}
        <span className="muted">({ROLE_LABEL[session.role]})</span>
      </span>
      <button type="button" className="button button--quiet" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
