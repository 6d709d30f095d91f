import { useCallback, useEffect, useRef, useState } from 'react';
import type { AttemptSightingName, CameraView, RecognitionAttemptsView, RecognitionAttemptView } from '@vigil/contracts';
import { useResource } from '../../api/useResource';
import { CameraSnapshot } from '../../components/CameraSnapshot';
import { ErrorLine } from '../../components/ErrorLine';
import { useSession } from '../../session-context';
import { AttemptsTable } from './AttemptsTable';
import { EnrolFromAttempt } from './EnrolFromAttempt';

/** How often the open panel asks for the camera's attempts. */
const EVERY_MS = 3_000;

const COUNTED: ReadonlyArray<[AttemptSightingName, string]> = [
  ['match', 'matched'],
  ['unknown', 'unknown'],
  ['low_quality', 'low quality'],
  ['decided', 'after the decision'],
];

/**
 * Why was someone (not) recognised: the camera's last analysed faces with their quality verdict,
 * nearest person and distance against the threshold, what each counted as and the track's vote;
 * the live picture above. A face whose picture was kept can be enrolled for a person from here.
 */
export function AttemptsPanel({ camera, onClose }: { camera: CameraView; onClose: () => void }) {
  const session = useSession();
  const heading = useRef<HTMLHeadingElement>(null);
  const [paused, setPaused] = useState(false);
  const [enrolling, setEnrolling] = useState<RecognitionAttemptView | null>(null);
  const { data, error, reload } = useResource(
    // An api-only server process answers 503 with where the live views are served; shown as is.
    useCallback(() => session.api.get<RecognitionAttemptsView>(`/api/cameras/${camera.id}/attempts`), [session.api, camera.id]),
  );

  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start' });
    heading.current?.focus();
  }, []);
  useEffect(() => {
    if (paused) return;
    const timer = window.setInterval(() => document.visibilityState === 'visible' && reload(), EVERY_MS);
    return () => window.clearInterval(timer);
  }, [paused, reload]);

  const minutes = data ? Math.max(1, Math.round(data.keptSeconds / 60)) : null;
  return (
    <section className="panel attempts" aria-labelledby="attempts-title">
      <div className="section-head">
        <h2 id="attempts-title" ref={heading} tabIndex={-1}>
          Recognition attempts: {camera.name}
        </h2>
        <div className="actions">
          <button type="button" className="button" aria-pressed={paused} onClick={() => setPaused(!paused)}>
            {paused ? 'Resume updates' : 'Pause updates'}
          </button>
          <button type="button" className="button button--quiet" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      <div className="attempts__top">
        <CameraSnapshot camera={camera} className="live--large" />
        <div>
          <p>
            The faces this camera analysed{minutes ? ` in the last ${minutes} min (at most ${data!.capacity})` : ''},{' '}
            {paused ? 'updates paused.' : `updated every ${EVERY_MS / 1000} s.`}
          </p>
          <p className="muted small">
            A face is recognised when its distance to a person's photos is at or under the list's threshold, and clearly closer than to anyone else; a
            track is decided after a few such sightings. Pictures are kept for a few minutes of faces that matched or came close: enrol one for a person when
            they were not recognised.
          </p>
          {data && data.items.length > 0 && <Tally items={data.items} />}
        </div>
      </div>
      <ErrorLine text={error} />
      {data && data.items.length === 0 && <p className="empty">No face analysed lately. When someone stands in front of the camera, their attempts appear here.</p>}
      {data && data.items.length > 0 && <AttemptsTable items={data.items} onEnrol={setEnrolling} />}
      {enrolling && <EnrolFromAttempt key={enrolling.id} cameraId={camera.id} cameraName={camera.name} attempt={enrolling} onClose={() => setEnrolling(null)} />}
    </section>
  );
}

/** "12 faces: 8 matched, 3 unknown, 1 low quality". */
function Tally({ items }: { items: RecognitionAttemptView[] }) {
  const parts = COUNTED.map(([kind, label]) => [items.filter((a) => a.sighting === kind).length, label] as const).filter(([n]) => n > 0);
  return (
    <p className="tally" data-testid="attempts-tally">
      <strong>
        {items.length} {items.length === 1 ? 'face' : 'faces'}:
      </strong>{' '}
      {parts.map(([n, label]) => `${n} ${label}`).join(', ')}
    </p>
  );
}
