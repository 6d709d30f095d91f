import { Link } from '../../components/Link';
import { MetricsPanel } from './MetricsPanel';
import { ModelVersions } from './ModelVersions';
import { ReviewQueue } from './ReviewQueue';

const TABS = [
  { path: '/review', label: 'Queue' },
  { path: '/review/metrics', label: 'Metrics' },
  { path: '/review/models', label: 'Model versions' },
] as const;

/** The reviewer console: label decisions, watch how well recognition does, manage refreshes. */
export function Review({ path }: { path: string }) {
  const tab = TABS.find((t) => t.path === path) ?? TABS[0];
  return (
    <div className="console">
      <nav className="tabs" aria-label="Review console">
        {TABS.map((t) => (
          <Link key={t.path} href={t.path} aria-current={t === tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      {tab.path === '/review' ? <ReviewQueue /> : tab.path === '/review/metrics' ? <MetricsPanel /> : <ModelVersions />}
    </div>
  );
}
