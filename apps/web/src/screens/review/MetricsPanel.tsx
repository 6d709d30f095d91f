import { useCallback, useEffect, useState } from 'react';
import type { Metrics, RecognitionMetricsView } from '../../api/review-types';
import { useObservable } from '../../api/store';
import { useResource } from '../../api/useResource';
import { num, percent } from '../../components/format';
import { useSession } from '../../session-context';
import { LineChart } from './LineChart';
import { ListSelect } from '../../components/ListSelect';
import { ErrorLine } from '../../components/ErrorLine';

/** The local calendar day: the server groups decisions by the day in its time zone, as people do. */
const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

const METRIC_TEXT: Record<string, string> = { precision: 'Precision', recall: 'Recall', accuracy: 'Accuracy', far: 'False accept rate', frr: 'False reject rate', auc: 'AUC' };

export function MetricsPanel() {
  const session = useSession();
  const pushes = useObservable(session.reviewPushes);
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [list, setList] = useState<'' | 'watchlist' | 'employee'>('');
  const { data, error, reload } = useResource(
    useCallback(() => session.api.get<RecognitionMetricsView>(`/api/metrics/recognition?${new URLSearchParams({ from, to, ...(list ? { list } : {}) })}`), [session.api, from, to, list]),
  );
  // A new item or label elsewhere may change the numbers.
  useEffect(() => {
    if (pushes > 0) reload();
  }, [pushes, reload]);

  const targets = data?.kpi.targets;
  const series = (pick: (m: Metrics) => number | null) => (data?.byDay ?? []).map((d) => ({ x: d.day, y: pick(d) }));

  return (
    <div className="metrics">
      <form className="panel row filters" onSubmit={(e) => (e.preventDefault(), reload())} aria-label="Period">
        <span className="field">
          <label htmlFor="m-from">From</label>
          <input id="m-from" type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </span>
        <span className="field">
          <label htmlFor="m-to">To</label>
          <input id="m-to" type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </span>
        <ListSelect id="m-list" value={list} onChange={setList} />
        <button type="submit" className="button">
          Refresh
        </button>
      </form>
      <ErrorLine text={error && `Metrics could not be loaded: ${error}`} />
      {data && (
        <>
          {data.kpi.breaches.length > 0 ? (
            <section className="panel breaches" role="alert" aria-labelledby="breach-title">
              <h2 id="breach-title">⚠ KPI targets missed</h2>
              <ul>
                {data.kpi.breaches.map((b) => (
                  <li key={`${b.metric}-${b.scope}`}>
                    {METRIC_TEXT[b.metric] ?? b.metric} is {percent(b.value, 2)} ({scopeText(b.scope, data)}); target {b.metric === 'far' ? 'at most' : 'at least'} {percent(b.target, 2)}
                  </li>
                ))}
              </ul>
            </section>
          ) : (
            <p className="panel ok-note">All KPI targets met in this period.</p>
          )}
          <section aria-labelledby="overall-title">
            <h2 id="overall-title">Overall</h2>
            <dl className="tiles" data-testid="metrics-overall">
              <Tile label="Reviewed" value={String(data.overall.reviewed)} testId="metric-reviewed" />
              <Tile label="TP / FP" value={`${data.overall.tp} / ${data.overall.fp}`} />
              <Tile label="FN / TN" value={`${data.overall.fn} / ${data.overall.tn}`} />
              <Tile label="Precision" value={percent(data.overall.precision)} />
              <Tile label="Recall" value={percent(data.overall.recall)} />
              <Tile label="Accuracy" value={percent(data.overall.accuracy)} />
              <Tile label="FAR" value={percent(data.overall.far, 2)} />
              <Tile label="FRR" value={percent(data.overall.frr, 2)} />
              <Tile label="AUC" value={num(data.overall.auc, 3)} />
            </dl>
          </section>
          <section className="charts" aria-label="Metrics by day">
            <LineChart title="Precision" points={series((m) => m.precision)} target={targets?.minPrecision} />
            <LineChart title="Recall" points={series((m) => m.recall)} target={targets?.minRecall} />
            <LineChart title="False accept rate (FAR)" points={series((m) => m.far)} target={targets?.maxFar} lowerIsBetter />
            <LineChart title="False reject rate (FRR)" points={series((m) => m.frr)} lowerIsBetter />
          </section>
          <BreakdownTable caption="By list" rows={data.byList.map((r) => ({ key: r.list, name: r.list, m: r }))} />
          <BreakdownTable caption="By camera" rows={data.byCamera.map((r) => ({ key: r.cameraId ?? 'kiosk', name: r.cameraName ?? 'Kiosk', m: r }))} />
        </>
      )}
    </div>
  );
}

/** 'overall', 'list:watchlist', 'camera:<id>' → words. */
function scopeText(scope: string, data: RecognitionMetricsView): string {
  const [kind, value] = scope.split(':', 2) as [string, string | undefined];
  if (kind === 'list' && value) return `${value} list`;
  if (kind === 'camera' && value) return `camera ${data.byCamera.find((c) => c.cameraId === value)?.cameraName ?? value}`;
  return scope;
}

function Tile({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="tile">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
}

function BreakdownTable({ caption, rows }: { caption: string; rows: Array<{ key: string; name: string; m: Metrics }> }) {
  if (rows.length === 0) return null;
  return (
    <table className="table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Reviewed</th>
          <th scope="col">TP</th>
          <th scope="col">FP</th>
          <th scope="col">FN</th>
          <th scope="col">TN</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">FAR</th>
          <th scope="col">FRR</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ key, name, m }) => (
          <tr key={key}>
            <th scope="row">{name}</th>
            <td>{m.reviewed}</td>
            <td>{m.tp}</td>
            <td>{m.fp}</td>
            <td>{m.fn}</td>
            <td>{m.tn}</td>
            <td>{percent(m.precision)}</td>
            <td>{percent(m.recall)}</td>
            <td>{percent(m.far, 2)}</td>
            <td>{percent(m.frr, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
