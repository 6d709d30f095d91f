import { useRef } from 'react';
import type { CameraOverlayView } from '@vigil/contracts';
import { LIVE_EVERY_MS, useLiveView } from '../api/live-view';
import { useSession } from '../session-context';
import { ago } from './format';
import { FaceBoxes, faceLabel } from './FaceBoxes';
import { useNow } from './useNow';
import { useVisible } from './useVisible';

/** Boxes older than this are drawn dashed and their age is said: nothing was analysed since. */
const STALE_MS = 15_000;

/**
 * What the camera sees now: its latest frame with the faces of its last analysis boxed and named.
 * Refreshed every few seconds, and only while on screen in a visible tab.
 */
export function CameraSnapshot({ camera, className }: { camera: { id: string; name: string }; className?: string }) {
  const session = useSession();
  const figure = useRef<HTMLElement>(null);
  const view = useLiveView(session.api, camera.id, useVisible(figure));
  const alt = `Live view of ${camera.name}`;
  const now = useNow(LIVE_EVERY_MS);
  const stale = view.state === 'ready' && view.overlay?.at ? now - Date.parse(view.overlay.at) > STALE_MS : false;

  let stand: string | null = null;
  if (view.state === 'loading') stand = 'Loading…';
  else if (view.state === 'none') stand = 'No picture yet';
  else if (view.state === 'error') stand = `Picture unavailable: ${view.message}`;

  return (
    <figure ref={figure} className={`live${className ? ` ${className}` : ''}`}>
      {view.state === 'ready' ? (
        <div className="live__frame">
          <img src={view.url} alt={alt} />
          {view.overlay && <FaceBoxes overlay={view.overlay} stale={stale} />}
        </div>
      ) : (
        <div className="live__frame live__frame--empty img-placeholder" role="img" aria-label={`${alt}: ${stand}`}>
          <span>{stand}</span>
        </div>
      )}
      {view.state === 'ready' && (
        <figcaption>
          {facesText(view.overlay, now, stale)}
          {view.slowed && <span className="live__note"> · Refreshing more slowly (the server asked to).</span>}
          {view.problem && <span className="live__note"> · Not refreshed: {view.problem}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/** The boxes in words: "1 face: Walter", "No face", with their age when nothing was analysed lately. */
function facesText(overlay: CameraOverlayView | null, now: number, stale: boolean): string {
  if (!overlay?.at) return 'Faces: not analysed yet';
  const when = stale ? ` (${ago(overlay.at, now)})` : '';
  if (overlay.faces.length === 0) return `No face${when}`;
  const names = overlay.faces.map((f) => (f.state === 'pending' ? 'deciding…' : faceLabel(f))).join(', ');
  return `${overlay.faces.length} ${overlay.faces.length === 1 ? 'face' : 'faces'}: ${names}${when}`;
}
