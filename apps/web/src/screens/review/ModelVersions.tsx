import { useCallback, useEffect, useState } from 'react';
import { errorText } from '../../api/http';
import type { Metrics, ModelVersionView, RefreshRunView } from '../../api/review-types';
import { useResource } from '../../api/useResource';
import { dateTime, num, percent } from '../../components/format';
import { useSession } from '../../session-context';
import { ErrorLine } from '../../components/ErrorLine';

const STATUS_TEXT: Record<ModelVersionView['status'], string> = { candidate: 'Candidate', active: 'Active', retired: 'Retired', rejected: 'Rejected' };

/** Refresh history: thresholds and gallery versions, with promote (refresh) and rollback for admins. */
export function ModelVersions() {
  const session = useSession();
  const admin = session.role === 'admin';
  const [message, setMessage] = useState<string | null>(null);
  const [run, setRun] = useState<RefreshRunView | null>(null);
  const [busy, setBusy] = useState(false);

  const { data, error, reload } = useResource(useCallback(() => session.api.get<{ items: ModelVersionView[] }>('/api/model-versions'), [session.api]));
  const versions = data?.items ?? null;
  const running = run?.status === 'running';

  // The refresh runs on the server in the background: show the latest run, and follow a running
  // one until it ends (then the version list has the new candidate).
  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    const poll = async () => {
      try {
        const latest = (await session.api.get<{ run: RefreshRunView | null }>('/api/model-versions/refresh')).run;
        if (stopped) return;
        setRun(latest);
        if (latest?.status === 'running') timer = window.setTimeout(() => void poll(), 1000);
        else if (running) reload(); // the run this loop followed has ended
      } catch (e) {
        if (!stopped) setMessage(`The refresh status could not be loaded: ${errorText(e)}`);
      }
    };
    void poll();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [session.api, running, reload]);

  const refresh = async () => {
    setBusy(true);
    setMessage(null);
    try {
      setRun((await session.api.post<{ run: RefreshRunView }>('/api/model-versions/refresh')).run);
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const trainHead = async () => {
    setBusy(true);
    setMessage(null);
    try {
      setRun((await session.api.post<{ run: RefreshRunView }>('/api/model-versions/head', {})).run);
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const rollback = async (v: ModelVersionView) => {
    if (!window.confirm(`Make ${v.label} the active version again? Recognition switches to its thresholds and gallery at once.`)) return;
    setBusy(true);
    setMessage(null);
    try {
      const { active } = await session.api.post<{ active: ModelVersionView }>(`/api/model-versions/${v.id}/rollback`);
      setMessage(`Rolled back: ${active.label} is active.`);
      reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="mv-title">
      <div className="section-head">
        <h1 id="mv-title">Model versions</h1>
        {admin && (
          <button type="button" className="button button--primary" disabled={busy || running} onClick={() => void refresh()}>
            {running ? 'Refreshing…' : 'Refresh now'}
          </button>
        )}
        {admin && (
          <button type="button" className="button" disabled={busy || running} onClick={() => void trainHead()} data-testid="train-head">
            Train a head candidate
          </button>
        )}
      </div>
      <p className="muted">
        A refresh recalibrates thresholds on reviewed decisions and updates the gallery; the candidate is promoted only if it does better than the active
        version. A head candidate learns a projection of the face descriptors from some people's photos and reviewed faces and is judged on the
        others.{admin ? '' : ' Only administrators can refresh or roll back.'}
      </p>
      <p className="feedback" role="status" aria-live="polite" data-testid="refresh-status">
        {message ?? (run && runText(run))}
      </p>
      {run?.result && <Comparison before={run.result.before} after={run.result.after} />}
      <ErrorLine text={error && `Model versions could not be loaded: ${error}`} />
      {versions && versions.length === 0 && <p className="empty">No model versions yet.</p>}
      {versions && versions.length > 0 && (
        <table className="table">
          <caption>Newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Status</th>
              <th scope="col">Thresholds (watchlist / employee / margin)</th>
              <th scope="col">Precision / recall</th>
              <th scope="col">Learned head</th>
              <th scope="col">Decision</th>
              <th scope="col">Created</th>
              <th scope="col">Promoted</th>
              {admin && <th scope="col">Action</th>}
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} className={v.status === 'active' ? 'row--active' : undefined}>
                <th scope="row">{v.label}</th>
                <td>{STATUS_TEXT[v.status]}</td>
                <td>
                  {num(v.thresholds.watchlist)} / {num(v.thresholds.employee)} / {num(v.thresholds.margin)}
                </td>
                <td>
                  {percent(v.metrics?.heldOut?.candidate.precision ?? null)} / {percent(v.metrics?.heldOut?.candidate.recall ?? null)}
                </td>
                <td>
                  <HeadCell v={v} />
                </td>
                <td>{v.decisionReason ?? '—'}</td>
                <td>{dateTime(v.createdAt)}</td>
                <td>{dateTime(v.promotedAt)}</td>
                {admin && (
                  <td>
                    {v.status === 'retired' && (
                      <button type="button" className="button" disabled={busy} onClick={() => void rollback(v)}>
                        Roll back to {v.label}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** A head version's figures: size, training, and held-out FAR / FRR of the champion → this candidate. */
function HeadCell({ v }: { v: ModelVersionView }) {
  if (!v.head) return <>—</>;
  const t = (v.head.training ?? {}) as { epochs?: number; samples?: number; persons?: number; heldOutPersons?: number };
  const h = v.metrics?.heldOut;
  const trainedHere = (v.metrics as { kind?: string } | null)?.kind === 'head';
  return (
    <span data-testid={`head-${v.label}`}>
      {v.head.dims}-d, {t.epochs ?? '?'} epochs, {t.samples ?? '?'} faces of {t.persons ?? '?'} people
      {trainedHere && h && (
        <>
          ; held out ({t.heldOutPersons ?? '?'} people): FAR {percent(h.champion.far, 2)} → {percent(h.candidate.far, 2)}, FRR {percent(h.champion.frr, 2)} →{' '}
          {percent(h.candidate.frr, 2)}
        </>
      )}
      {!trainedHere && ' (inherited)'}
    </span>
  );
}

function runText(run: RefreshRunView): string {
  if (run.kind === 'head') return headRunText(run);
  const who = run.trigger === 'schedule' ? 'the schedule' : (run.requestedBy ?? 'an administrator');
  if (run.status === 'running') return `A refresh started by ${who} at ${dateTime(run.startedAt)} is running: ${progressText(run.progress)}.`;
  if (run.status === 'failed' || run.status === 'interrupted') return `The refresh started at ${dateTime(run.startedAt)} failed: ${run.error ?? 'no reason given'}`;
  const r = run.result!;
  return r.promoted ? `Candidate ${r.candidate.label} was promoted: ${r.reason}` : `Candidate ${r.candidate.label} was not promoted: ${r.reason}`;
}

function headRunText(run: RefreshRunView): string {
  const who = run.trigger === 'schedule' ? 'the schedule' : (run.requestedBy ?? 'an administrator');
  if (run.status === 'running') return `A head candidate started by ${who} at ${dateTime(run.startedAt)} is training: ${progressText(run.progress)}.`;
  if (run.status === 'failed' || run.status === 'interrupted') return `The head candidate started at ${dateTime(run.startedAt)} failed: ${run.error ?? 'no reason given'}`;
  const r = run.result!;
  return r.promoted ? `Head candidate ${r.candidate.label} was promoted: ${r.reason}` : `Head candidate ${r.candidate.label} was not promoted: ${r.reason}`;
}

function progressText(p: RefreshRunView['progress']): string {
  if (p?.phase === 'training' && p.total !== undefined) return `training the head (epoch ${p.done ?? 0} of ${p.total})`;
  if (p?.phase === 'embedding' && p.total !== undefined) return `re-embedding reviewed faces (${p.done ?? 0} of ${p.total})`;
  if (p?.phase === 'evaluating') return 'scoring both versions on the held-out faces';
  if (p?.phase === 'committing') return 'recording the new version';
  return 'reviewed faces are being re-embedded and scored';
}

function Comparison({ before, after }: { before: Metrics; after: Metrics }) {
  const rows: Array<[string, keyof Metrics, boolean]> = [
    ['Precision', 'precision', false],
    ['Recall', 'recall', false],
    ['Accuracy', 'accuracy', false],
    ['FAR', 'far', true],
    ['FRR', 'frr', true],
  ];
  return (
    <table className="table">
      <caption>Last refresh: active version vs candidate</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Active</th>
          <th scope="col">Candidate</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, key]) => (
          <tr key={key}>
            <th scope="row">{name}</th>
            <td>{percent(before[key] as number | null, 2)}</td>
            <td>{percent(after[key] as number | null, 2)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
