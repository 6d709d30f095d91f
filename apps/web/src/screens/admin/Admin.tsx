import { Link } from '../../components/Link';
import { CamerasAdmin } from './CamerasAdmin';
import { PeopleAdmin } from './PeopleAdmin';
import { RetentionAdmin } from './RetentionAdmin';
import { ScansAdmin } from './ScansAdmin';
import { TokensAdmin } from './TokensAdmin';
import { UsersAdmin } from './UsersAdmin';

const TABS = [
  { path: '/admin', label: 'People' },
  { path: '/admin/cameras', label: 'Cameras' },
  { path: '/admin/users', label: 'Users' },
  { path: '/admin/tokens', label: 'Tokens' },
  { path: '/admin/retention', label: 'Retention' },
  { path: '/admin/scans', label: 'Scans' },
] as const;

export function Admin({ path }: { path: string }) {
  const tab = TABS.find((t) => t.path === path) ?? TABS[0];
  return (
    <div className="console">
      <nav className="tabs" aria-label="Administration">
        {TABS.map((t) => (
          <Link key={t.path} href={t.path} aria-current={t === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab.path === '/admin' ? <PeopleAdmin /> : tab.path === '/admin/cameras' ? <CamerasAdmin /> : tab.path === '/admin/users' ? <UsersAdmin /> : tab.path === '/admin/retention' ? <RetentionAdmin /> : tab.path === '/admin/scans' ? <ScansAdmin /> : <TokensAdmin />}
    </div>
  );
}
