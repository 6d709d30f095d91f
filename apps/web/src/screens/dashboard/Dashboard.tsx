import { useEffect, useState } from 'react';
import { useObservable } from '../../api/store';
import { isMuted, playAlertCue, setMuted, soundReady, unlockSound } from '../../components/sound';
import { useSession } from '../../session-context';
import { AlertCard } from './AlertCard';
import { CameraGrid } from './CameraGrid';

/** The security wall screen: live alerts (open ones on top) beside the camera grid. */
export function Dashboard() {
  const session = useSession();
  const alerts = useObservable(session.alerts.items);
  const skipped = useObservable(session.alerts.skipped);
  const [news, setNews] = useState<string | null>(null);
  // After a reload the browser keeps audio locked until a click: the button then says "off".
  const [soundOn, setSoundOn] = useState(!isMuted() && soundReady());
  useEffect(() => session.cameras.watch(), [session]);

  useEffect(
    () =>
      session.alerts.onNews((alert) => {
        playAlertCue();
        setNews(`New alert: ${alert.personName ?? 'unknown person'} (${alert.list}) at ${session.cameras.name(alert.cameraId)}`);
      }),
    [session],
  );

  const open = alerts.filter((a) => a.status === 'new').length;
  useEffect(() => {
    document.title = open > 0 ? `(${open}) Vigil — dashboard` : 'Vigil — dashboard';
    return () => {
      document.title = 'Vigil';
    };
  }, [open]);

  return (
    <div className="dashboard">
      <section className="dashboard__alerts" aria-labelledby="alerts-title">
        <div className="section-head">
          <h1 id="alerts-title">
            Alerts <span className="count" data-testid="open-count">{open} unacknowledged</span>
          </h1>
          <button
            type="button"
            className="button button--quiet"
            aria-pressed={soundOn}
            onClick={() => {
              const next = !soundOn;
              if (next) unlockSound();
              setMuted(!next);
              setSoundOn(next);
            }}
          >
            {soundOn ? 'Sound: on' : 'Sound: off'}
          </button>
        </div>
        <div className={`news${news ? ' news--active' : ''}`} role="alert" aria-live="assertive">
          {news && (
            <>
              <span>{news}</span>
              <button type="button" className="button button--quiet" onClick={() => setNews(null)}>
                Dismiss
              </button>
            </>
          )}
        </div>
        {skipped && (
          <div className="skipped" role="status" data-testid="alerts-skipped">
            <span>
              {skipped.count}
              {skipped.atLeast ? '+' : ''} older {skipped.count === 1 && !skipped.atLeast ? 'alert' : 'alerts'} from while this screen was
              offline {skipped.count === 1 && !skipped.atLeast ? 'is' : 'are'} not shown; any still open are listed below.
            </span>
            <button type="button" className="button button--quiet" onClick={() => session.alerts.dismissSkipped()}>
              Dismiss
            </button>
          </div>
        )}
        {alerts.length === 0 ? (
          <p className="empty">No alerts. New ones appear here as soon as a camera sees someone on the watchlist.</p>
        ) : (
          <ol className="alerts" aria-label="Alerts, unacknowledged first">
            {alerts.map((a) => (
              <li key={a.id}>
                <AlertCard alert={a} />
              </li>
            ))}
          </ol>
        )}
      </section>
      <section className="dashboard__cameras" aria-labelledby="cameras-title">
        <h2 id="cameras-title">Cameras</h2>
        <CameraGrid />
      </section>
    </div>
  );
}
