import { FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { ScanJobView, ScanListName } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useResource } from '../../api/useResource';
import { ErrorLine } from '../../components/ErrorLine';
import { Feedback } from '../../components/Feedback';
import { dateTime } from '../../components/format';
import { useSession } from '../../session-context';
import { ScanReportPanel } from './ScanReportPanel';

const STATUS_TEXT: Record<ScanJobView['status'], string> = {
  queued: 'Queued',
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

const LIST_TEXT: Record<ScanListName, string> = { watchlist: 'Watchlist', employee: 'Employees', all: 'Everybody enrolled' };

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} kB`;
}

/** Progress bar and words for a running job (frames analysed of the expected total). */
function Progress({ job }: { job: ScanJobView }) {
  const p = job.progress;
  if (job.status === 'queued') return <span className="muted">Waiting for a worker</span>;
  if (!p) return <span className="muted">{job.status === 'running' ? 'Starting…' : ''}</span>;
  const share = p.framesTotal ? Math.min(1, p.framesDone / p.framesTotal) : null;
  return (
    <span>
      {share !== null && <progress max={1} value={share} aria-label={`Scan progress: ${Math.round(share * 100)} %`} />}{' '}
      {p.framesDone}
      {p.framesTotal ? ` / ${p.framesTotal}` : ''} frames · {p.matches} {p.matches === 1 ? 'match' : 'matches'}
    </span>
  );
}

/**
 * Scan jobs: upload a recording or photo, follow each job live (`scan.progress`), cancel it,
 * read why one failed, and open the report of a finished one.
 */
export function ScansAdmin() {
  const session = useSession();
  const { data, error, mutate, reload } = useResource(useCallback(() => session.api.get<ScanJobView[]>('/api/scans'), [session.api]));
  const [list, setList] = useState<ScanListName>('watchlist');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const apply = (job: ScanJobView) =>
      mutate((jobs) => {
        const current = jobs ?? [];
        return current.some((j) => j.id === job.id) ? current.map((j) => (j.id === job.id ? job : j)) : [job, ...current];
      });
    session.socket.on('scan.progress', apply);
    // After a reconnect the pushes missed meanwhile are gone: read the list again.
    session.socket.on('connect', reload);
    return () => {
      session.socket.off('scan.progress', apply);
      session.socket.off('connect', reload);
    };
  }, [session.socket, mutate, reload]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    setMessage(null);
    setFailure(null);
    if (!file) return setFailure('Choose a video or photo first.');
    setBusy(true);
    try {
      const job = await session.api.upload<ScanJobView>('/api/scans', 'file', file, file.name, { list });
      mutate((jobs) => [job, ...(jobs ?? []).filter((j) => j.id !== job.id)]);
      setMessage(`“${job.fileName}” uploaded and queued.`);
      if (fileInput.current) fileInput.current.value = '';
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const cancel = async (job: ScanJobView) => {
    setFailure(null);
    try {
      const updated = await session.api.post<ScanJobView>(`/api/scans/${job.id}/cancel`);
      mutate((jobs) => (jobs ?? []).map((j) => (j.id === updated.id ? updated : j)));
      setMessage(`Scan of “${job.fileName}” cancelled.`);
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  return (
    <section className="panel" aria-labelledby="scans-title">
      <h1 id="scans-title">Scans</h1>
      <p className="muted">
        Scan a recording (or a photo) for enrolled people. The file is checked on upload, scanned by a worker when one is free (live cameras keep priority),
        and deleted when the scan ends; the report keeps the matched faces only.
      </p>
      <form onSubmit={(e) => void submit(e)} className="scan-upload">
        <label>
          Video or photo{' '}
          <input ref={fileInput} type="file" name="file" accept="video/*,image/jpeg,image/png,image/webp,.mkv,.avi,.ts,.mts" disabled={busy} />
        </label>{' '}
        <label>
          Look for{' '}
          <select value={list} onChange={(e) => setList(e.target.value as ScanListName)} disabled={busy}>
            {(Object.keys(LIST_TEXT) as ScanListName[]).map((l) => (
              <option key={l} value={l}>
                {LIST_TEXT[l]}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Uploading…' : 'Upload and scan'}
        </button>
      </form>
      <ErrorLine text={failure ?? error} />
      <Feedback text={message} />
      <table className="table scans__table">
        <thead>
          <tr>
            <th scope="col">File</th>
            <th scope="col">Looking for</th>
            <th scope="col">Status</th>
            <th scope="col">Progress / result</th>
            <th scope="col">Uploaded</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data?.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                No scans yet.
              </td>
            </tr>
          )}
          {data?.map((job) => (
            <tr key={job.id} data-scan={job.id} data-status={job.status}>
              <th scope="row">
                {job.fileName}
                <div className="muted small">
                  {size(job.sizeBytes)}
                  {job.media?.durationSeconds ? ` · ${Math.round(job.media.durationSeconds)} s` : ''}
                  {job.media ? ` · ${job.media.kind}` : ''}
                </div>
              </th>
              <td>{LIST_TEXT[job.list]}</td>
              <td>
                {STATUS_TEXT[job.status]}
                {job.worker && <div className="muted small">on {job.worker}</div>}
              </td>
              <td>
                {job.status === 'failed' ? (
                  <span className="error">{job.error}</span>
                ) : job.status === 'finished' && job.summary ? (
                  <span>
                    {job.summary.matches} {job.summary.matches === 1 ? 'match' : 'matches'} ({job.summary.people} {job.summary.people === 1 ? 'person' : 'people'}) in{' '}
                    {job.summary.framesAnalysed} frames
                  </span>
                ) : job.status === 'cancelled' ? (
                  <span className="muted">Cancelled</span>
                ) : (
                  <Progress job={job} />
                )}
              </td>
              <td>
                {dateTime(job.createdAt)}
                <div className="muted small">by {job.requestedBy}</div>
              </td>
              <td>
                {(job.status === 'queued' || job.status === 'running') && (
                  <button type="button" className="button button--quiet" onClick={() => void cancel(job)}>
                    Cancel
                  </button>
                )}
                {job.reportUrl && (
                  <button type="button" className="button" aria-expanded={open === job.id} onClick={() => setOpen(open === job.id ? null : job.id)}>
                    {open === job.id ? 'Hide report' : 'Report'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && data?.find((j) => j.id === open)?.reportUrl && <ScanReportPanel jobId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
