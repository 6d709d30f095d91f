import type { CameraView } from '@vigil/contracts';
import { useObservable } from '../../api/store';
import { CameraSnapshot } from '../../components/CameraSnapshot';
import { ago } from '../../components/format';
import { useNow } from '../../components/useNow';
import { useSession } from '../../session-context';

export const STATUS_LABEL: Record<CameraView['status'], string> = {
  starting: 'Starting',
  online: 'Online',
  stalled: 'Stalled',
  offline: 'Offline',
  frozen: 'Frozen picture',
  disabled: 'Disabled',
};

/** Statuses that need someone to look (shown with a warning mark, not colour alone). */
export const FLAGGED: ReadonlySet<CameraView['status']> = new Set(['offline', 'frozen', 'stalled']);

export function CameraGrid() {
  const session = useSession();
  const cameras = useObservable(session.cameras.cameras);
  const error = useObservable(session.cameras.error);
  const now = useNow(1000);
  if (error) return <p className="error" role="alert">Cameras could not be loaded: {error}</p>;
  if (cameras.length === 0) return <p className="empty">No cameras registered.</p>;
  return (
    <ul className="cameras">
      {cameras.map((c) => (
        <li key={c.id} className={`camera camera--${c.status}${FLAGGED.has(c.status) ? ' camera--flagged' : ''}`} data-camera-id={c.id}>
          <div className="camera__head">
            <h3>{c.name}</h3>
            <span className={`status status--${c.status}`}>
              {FLAGGED.has(c.status) && <span aria-hidden="true">⚠ </span>}
              {STATUS_LABEL[c.status]}
            </span>
          </div>
          <CameraSnapshot camera={c} />
          <dl className="facts">
            <dt>Frame rate</dt>
            <dd>{c.measuredFps === null ? '—' : `${c.measuredFps.toFixed(1)} fps`} <span className="muted">(target {c.fps})</span></dd>
            <dt>Last frame</dt>
            <dd>{c.lastFrameAt ? <time dateTime={c.lastFrameAt}>{ago(c.lastFrameAt, now)}</time> : 'none yet'}</dd>
          </dl>
          {FLAGGED.has(c.status) && c.statusReason && <p className="camera__reason">{c.statusReason}</p>}
        </li>
      ))}
    </ul>
  );
}
