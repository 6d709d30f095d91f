import { useState } from 'react';
import type { AlertEvent } from '@vigil/contracts';
import { ALLOWED_ACTIONS, AlertItem } from '../../api/alert-store';
import { errorText } from '../../api/http';
import { useImage, useReferenceImage } from '../../api/media';
import { useObservable } from '../../api/store';
import { clock, ago, num } from '../../components/format';
import { Img } from '../../components/Img';
import { useNow } from '../../components/useNow';
import { useSession } from '../../session-context';
import { Feedback } from '../../components/Feedback';

const STATUS_TEXT: Record<AlertEvent['status'], string> = { new: 'Unacknowledged', acknowledged: 'Acknowledged', escalated: 'Escalated', resolved: 'Resolved' };
const ACTIONS = [
  { key: 'ack', label: 'Acknowledge', done: 'acknowledged' },
  { key: 'escalate', label: 'Escalate', done: 'escalated' },
  { key: 'resolve', label: 'Resolve', done: 'resolved' },
] as const;

export function AlertCard({ alert }: { alert: AlertItem }) {
  const session = useSession();
  useObservable(session.cameras.cameras); // camera names
  const now = useNow(5000);
  const crop = useImage(session.api, alert.cropUrl);
  const reference = useReferenceImage(session.api, alert.personId);
  const [busy, setBusy] = useState(false);
  const [feedback, setFeedback] = useState<string | null>(null);
  const who = alert.personName ?? 'Unknown person';
  const camera = session.cameras.name(alert.cameraId);

  const act = async (action: (typeof ACTIONS)[number]) => {
    setBusy(true);
    setFeedback(null);
    try {
      session.alerts.update(await session.api.post<AlertEvent>(`/api/alerts/${alert.id}/${action.key}`));
      setFeedback(`Alert ${action.done}.`);
    } catch (error) {
      setFeedback(errorText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article
      className={`alert alert--${alert.status}${alert.fresh ? ' alert--fresh' : ''}`}
      aria-labelledby={`alert-${alert.id}-who`}
      data-alert-id={alert.id}
      data-status={alert.status}
    >
      <div className="alert__faces">
        <figure>
          <Img image={crop} alt={`Face seen by ${camera}`} className="face" missing={alert.evidenceExpired ? 'Evidence expired' : 'No crop'} />
          <figcaption>Seen</figcaption>
        </figure>
        <figure>
          <Img image={reference} alt={`Enrolled photo of ${who}`} className="face" missing="No enrolled photo" />
          <figcaption>Enrolled</figcaption>
        </figure>
      </div>
      <div className="alert__body">
        <h3 id={`alert-${alert.id}-who`}>
          {who} <span className={`badge badge--${alert.list}`}>{alert.list === 'watchlist' ? 'Watchlist' : 'Employee'}</span>
        </h3>
        <dl className="facts facts--row">
          <div>
            <dt>Camera</dt>
            <dd>{camera}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>
              <time dateTime={alert.at}>{clock(alert.at, true)}</time> <span className="muted">({ago(alert.at, now)})</span>
            </dd>
          </div>
          <div>
            <dt>Score</dt>
            <dd>{num(alert.score)}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>
              <span className={`status status--${alert.status}`}>{STATUS_TEXT[alert.status]}</span>
            </dd>
          </div>
        </dl>
        <div className="row">
          {ACTIONS.map((action) => (
            <button
              key={action.key}
              type="button"
              className={`button${action.key === 'ack' ? ' button--primary' : action.key === 'escalate' ? ' button--danger' : ''}`}
              disabled={busy || !ALLOWED_ACTIONS[alert.status].includes(action.key)}
              onClick={() => void act(action)}
              aria-label={`${action.label} alert: ${who} at ${camera}`}
            >
              {action.label}
            </button>
          ))}
        </div>
        <Feedback text={feedback} />
      </div>
    </article>
  );
}
