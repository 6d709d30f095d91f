import { useRef, useState } from 'react';
import type { AttemptCandidateView, RecognitionAttemptView } from '@vigil/contracts';
import { useFreshImage } from '../../api/media';
import { clock } from '../../components/format';
import { Img } from '../../components/Img';
import { useVisible } from '../../components/useVisible';
import { useSession } from '../../session-context';
import { distanceText, isWithin, personName, qualityText, sightingText, voteText } from './attempt-text';

/** One row per analysed face, newest first; "Enrol…" on the faces whose picture was kept. */
export function AttemptsTable({ items, onEnrol }: { items: RecognitionAttemptView[]; onEnrol: (attempt: RecognitionAttemptView) => void }) {
  return (
    <table className="table attempts__table" data-testid="attempts-table">
      <caption>Newest first. Distance: lower is closer; a face is recognised at or under the threshold.</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Track</th>
          <th scope="col">Face</th>
          <th scope="col">Quality</th>
          <th scope="col">Nearest person (distance / threshold)</th>
          <th scope="col">Counted as</th>
          <th scope="col">Vote</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr key={a.id} className={a.quality.ok ? undefined : 'row--refused-quality'}>
            <th scope="row">
              <time dateTime={a.at}>{clock(a.at, true)}</time>
              <div className="small muted">
                {a.analysis} · {a.detector}
              </div>
            </th>
            <td className="mono" title={a.trackId}>
              {a.trackId.slice(0, 8)}
            </td>
            <td>{a.thumbnailUrl ? <Thumb path={a.thumbnailUrl} alt={`Face seen at ${clock(a.at, true)}`} /> : <span className="small muted">not kept</span>}</td>
            <td>
              {!a.quality.ok && <span aria-hidden="true">✗ </span>}
              {qualityText(a.quality)}
            </td>
            <td>
              <Nearest candidate={a.nearest} />
            </td>
            <td>
              {sightingText(a)}
              {a.replacedTrackId && (
                <div className="small muted">
                  A different person arrived: replaces track <span className="mono">{a.replacedTrackId.slice(0, 8)}</span>
                </div>
              )}
            </td>
            <td>
              {voteText(a.vote)}
              {a.vote.reopened && <span className="badge badge--reopened">re-opened</span>}
            </td>
            <td>
              {a.thumbnailUrl && (
                <button type="button" className="button" onClick={() => onEnrol(a)} aria-label={`Enrol the face seen at ${clock(a.at, true)}`}>
                  Enrol…
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Nearest({ candidate: c }: { candidate: AttemptCandidateView | null }) {
  if (!c) return <span className="muted">— (no one to compare)</span>;
  const within = isWithin(c);
  return (
    <>
      <span className="nearest">
        {personName(c.personName)} · <span className="num">{distanceText(c)}</span>
      </span>
      <div className={`small ${within ? 'within' : 'over'}`}>{within ? '✓ within threshold' : '✗ over threshold'}</div>
    </>
  );
}

/** The attempt's face picture, fetched once it scrolls into view (a long table loads only what is seen). */
function Thumb({ path, alt }: { path: string; alt: string }) {
  const session = useSession();
  const box = useRef<HTMLSpanElement>(null);
  const visible = useVisible(box, '200px');
  const [seen, setSeen] = useState(false);
  if (visible && !seen) setSeen(true);
  const image = useFreshImage(session.api, seen ? path : null);
  return (
    <span ref={box} className="thumb">
      <Img image={seen ? image : { state: 'loading' }} alt={alt} className="face face--thumb" missing="Picture expired" />
    </span>
  );
}
