import { useCallback, useState } from 'react';
import type { ScanMatchView, ScanReportView } from '@vigil/contracts';
import { errorText } from '../../api/http';
import { useImage } from '../../api/media';
import { useResource } from '../../api/useResource';
import { ErrorLine } from '../../components/ErrorLine';
import { Img } from '../../components/Img';
import { percent } from '../../components/format';
import { useSession } from '../../session-context';

/** 83.5 → "1:23.5" (time in the video). */
function videoTime(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - m * 60;
  return `${m}:${s < 10 ? '0' : ''}${s.toFixed(1)}`;
}

function MatchRow({ match }: { match: ScanMatchView }) {
  const session = useSession();
  const crop = useImage(session.api, match.cropUrl);
  const reference = useImage(session.api, match.referenceUrl);
  return (
    <tr data-person={match.personId ?? ''}>
      <td>
        <Img image={crop} alt={`Face found in ${match.file} at ${videoTime(match.atSeconds)}`} className="scan-report__face" />
      </td>
      <td>
        <Img image={reference} alt={`Enrolled photo of ${match.personName}`} className="scan-report__face" missing="No enrolled photo" />
      </td>
      <th scope="row">
        {match.personName}
        <div className="muted small">{match.list}</div>
      </th>
      <td className="mono">{videoTime(match.atSeconds)}</td>
      <td>{percent(match.score)}</td>
      <td>{match.file}</td>
    </tr>
  );
}

/** A finished scan's report: matches (crop beside the enrolled photo, time in the video, score), per-file figures, downloads. */
export function ScanReportPanel({ jobId, onClose }: { jobId: string; onClose: () => void }) {
  const session = useSession();
  const { data, error } = useResource(useCallback(() => session.api.get<ScanReportView>(`/api/scans/${jobId}/report`), [session.api, jobId]));
  const [failure, setFailure] = useState<string | null>(null);

  // The files need the console's credentials, so they are fetched and handed to the browser as a blob.
  const download = async (path: string, name: string) => {
    setFailure(null);
    try {
      const url = URL.createObjectURL(await session.api.blob(path));
      const a = document.createElement('a');
      a.href = url;
      a.download = name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setFailure(errorText(e));
    }
  };

  const stem = `scan-${jobId.slice(0, 8)}`;
  return (
    <section className="panel scan-report" aria-labelledby="scan-report-title">
      <h2 id="scan-report-title">Report: {data?.job.fileName ?? '…'}</h2>
      <ErrorLine text={failure ?? error} />
      {data && (
        <>
          <p>
            {data.matches.length === 0 ? 'Nobody from the list was found.' : `${data.matches.length} ${data.matches.length === 1 ? 'match' : 'matches'}.`}{' '}
            {data.analysisIntervalSeconds !== null && <span className="muted">Times are accurate to {data.analysisIntervalSeconds.toFixed(1)} s (one analysed frame).</span>}
          </p>
          <p>
            Download:{' '}
            {(['html', 'csv', 'json'] as const).map((format) => (
              <button key={format} type="button" className="button button--quiet" onClick={() => void download(data.downloads[format], `${stem}.${format}`)}>
                {format.toUpperCase()}
              </button>
            ))}{' '}
            <button type="button" className="button" onClick={onClose}>
              Close
            </button>
          </p>
          {data.matches.length > 0 && (
            <table className="table scan-report__matches">
              <caption>Matches</caption>
              <thead>
                <tr>
                  <th scope="col">Found</th>
                  <th scope="col">Enrolled</th>
                  <th scope="col">Person</th>
                  <th scope="col">Time in video</th>
                  <th scope="col">Score</th>
                  <th scope="col">File</th>
                </tr>
              </thead>
              <tbody>
                {data.matches.map((m, i) => (
                  <MatchRow key={`${m.cropUrl ?? ''}-${i}`} match={m} />
                ))}
              </tbody>
            </table>
          )}
          <table className="table">
            <caption>Files</caption>
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Result</th>
                <th scope="col">Length</th>
                <th scope="col">Frames analysed</th>
                <th scope="col">Faces seen</th>
                <th scope="col">Matches</th>
              </tr>
            </thead>
            <tbody>
              {data.files.map((f) => (
                <tr key={f.file}>
                  <th scope="row">{f.file}</th>
                  <td className={f.status === 'failed' ? 'error' : undefined}>{f.status === 'failed' ? `Failed: ${f.error}` : 'Scanned'}</td>
                  <td>{f.durationSeconds === null ? '—' : videoTime(f.durationSeconds)}</td>
                  <td>{f.framesAnalysed}</td>
                  <td>{f.faces}</td>
                  <td>{f.matches}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
