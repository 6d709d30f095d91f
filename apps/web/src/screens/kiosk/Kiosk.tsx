import { useEffect, useRef, useState } from 'react';
import type { KioskChallengeView, KioskCheckView } from '@vigil/contracts';
import { ApiError, errorText, type Api } from '../../api/http';
import { clock } from '../../components/format';
import { useNow } from '../../components/useNow';
import { useSession } from '../../session-context';
import { useCamera } from './useCamera';

/** One frame is checked at a time; with nobody in front, a frame every this often. */
const CHECK_EVERY_MS = 1200;
/** How long an answer stays on screen before the kiosk looks again. */
const HOLD_MS: Record<KioskCheckView['decision'] | 'error', number> = {
  checked_in: 6000,
  checked_out: 6000,
  already_recorded: 5000,
  not_recognised: 5000,
  multiple_faces: 3000,
  retry: 2500,
  not_live: 5000,
  liveness_required: 0,
  no_face: 0,
  error: 4000,
};
/** Frames are downscaled to this width before upload: plenty for a face at arm's length. */
const FRAME_WIDTH = 960;

/** A shape beside the colour, for people who cannot tell green from red. */
const MARK: Record<Shown['tone'], string> = { ok: '✓', bad: '✗', warn: '!', info: '✓', idle: '', prompt: '' };

type Shown = { tone: 'ok' | 'info' | 'warn' | 'bad' | 'idle' | 'prompt'; title: string; detail?: string; decision: KioskCheckView['decision'] | 'error' | 'idle' | 'challenge' };

/** Gives the person a moment to read the prompt before the first (frontal) frame is taken. */
const PROMPT_LEAD_MS = 700;

function present(result: KioskCheckView): Shown {
  switch (result.decision) {
    case 'checked_in':
      return { tone: 'ok', decision: result.decision, title: `Checked in, ${result.person.name} — ${clock(result.at)}`, detail: 'Have a good day.' };
    case 'checked_out':
      return { tone: 'ok', decision: result.decision, title: `Checked out, ${result.person.name} — ${clock(result.at)}`, detail: 'See you next time.' };
    case 'already_recorded':
      return { tone: 'info', decision: result.decision, title: result.message, detail: 'Nothing more to do.' };
    case 'not_recognised':
      return { tone: 'bad', decision: result.decision, title: 'Not recognised', detail: 'Please ask at the front desk.' };
    case 'no_face':
      return { tone: 'idle', decision: result.decision, title: 'Look at the camera to check in or out', detail: 'No face found yet.' };
    case 'multiple_faces':
      return { tone: 'warn', decision: result.decision, title: 'One person at a time, please', detail: result.message };
    case 'retry':
      return { tone: 'warn', decision: result.decision, title: result.message.replace(/^Please try again: /, 'Try again: '), detail: 'Hold still, facing the camera.' };
    case 'not_live':
      return { tone: 'bad', decision: result.decision, title: 'Could not confirm a live person', detail: 'Please try again and turn your head as shown.' };
    case 'liveness_required':
      return { tone: 'idle', decision: result.decision, title: 'Look at the camera to check in or out' };
  }
}

/**
 * The attendance kiosk: full-screen camera view, frames sent to POST /api/kiosk/check, the answer
 * in large type. Kiosk tokens only (the role gate keeps others out).
 */
export function Kiosk({ onSignOut }: { onSignOut: () => void }) {
  const session = useSession();
  const video = useRef<HTMLVideoElement>(null);
  const camera = useCamera(video);
  const now = useNow(1000);
  const [shown, setShown] = useState<Shown>({ tone: 'idle', decision: 'idle', title: 'Look at the camera to check in or out' });
  const [fullscreen, setFullscreen] = useState(Boolean(document.fullscreenElement));

  useEffect(() => {
    const onChange = () => setFullscreen(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  useEffect(() => {
    if (camera.state !== 'ready') return;
    let stopped = false;
    let timer: number | undefined;
    const loop = async () => {
      let hold = CHECK_EVERY_MS;
      try {
        const frame = await grabFrame(video.current!);
        if (frame) {
          let result = await session.api.upload<KioskCheckView>('/api/kiosk/check', 'image', frame, 'frame.jpg');
          // Someone is there and this kiosk must confirm a live person: ask them to turn their head.
          if (result.decision === 'liveness_required' && !stopped) result = await runChallenge(session.api, video.current!, setShown, () => stopped);
          if (stopped) return;
          setShown(present(result));
          hold = Math.max(HOLD_MS[result.decision], CHECK_EVERY_MS);
        }
      } catch (error) {
        if (stopped) return;
        const wait = retryAfterMs(error);
        if (wait !== null) {
          // Rate limited (429) or busy (503): not a fault; look again when the server says.
          setShown({ tone: 'warn', decision: 'error', title: 'One moment, please', detail: errorText(error) });
          hold = Math.max(wait, CHECK_EVERY_MS);
        } else {
          const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
          setShown({ tone: 'bad', decision: 'error', title: refused ? 'This kiosk is not allowed to check people in' : 'The kiosk is having trouble', detail: errorText(error) });
          hold = HOLD_MS.error;
        }
      }
      if (!stopped) timer = window.setTimeout(() => void loop(), hold);
    };
    void loop();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [camera.state, session.api]);

  return (
    <main className={`kiosk kiosk--${shown.tone}`} id="main" data-decision={shown.decision}>
      <div className="kiosk__top">
        <span className="kiosk__clock" aria-label="Time">
          {clock(new Date(now))}
        </span>
        <span className="kiosk__tools">
          {!fullscreen && (
            <button type="button" className="button button--quiet" onClick={() => void document.documentElement.requestFullscreen?.()}>
              Full screen
            </button>
          )}
          <button type="button" className="button button--quiet" onClick={onSignOut}>
            Exit kiosk
          </button>
        </span>
      </div>
      <div className="kiosk__camera">
        <video ref={video} muted playsInline autoPlay aria-label="Camera preview" />
        {camera.state !== 'ready' && (
          <p className="kiosk__camera-note" role="alert">
            {camera.state === 'starting' ? 'Starting the camera…' : camera.message}
          </p>
        )}
      </div>
      <div className="kiosk__result" role="status" aria-live="assertive" aria-atomic="true" data-testid="kiosk-result">
        <p className={shown.tone === 'prompt' ? 'kiosk__title kiosk__prompt' : 'kiosk__title'} data-testid={shown.tone === 'prompt' ? 'kiosk-prompt' : undefined}>
          {MARK[shown.tone] && (
            <span className="kiosk__mark" aria-hidden="true">
              {MARK[shown.tone]}
            </span>
          )}
          <span>{shown.title}</span>
        </p>
        {shown.detail && <p className="kiosk__detail">{shown.detail}</p>}
      </div>
    </main>
  );
}

/**
 * The liveness challenge: the server picks a side; the prompt goes up in large text; the first
 * frame is taken while the person still faces the camera, the rest while they turn; the server
 * judges the sequence (the browser decides nothing).
 */
async function runChallenge(api: Api, video: HTMLVideoElement, show: (s: Shown) => void, stopped: () => boolean): Promise<KioskCheckView> {
  const challenge = await api.post<KioskChallengeView>('/api/kiosk/challenge');
  show({ tone: 'prompt', decision: 'challenge', title: challenge.prompt, detail: 'Slowly, then hold for a moment.' });
  await sleep(PROMPT_LEAD_MS);
  const form = new FormData();
  form.append('nonce', challenge.nonce);
  const gap = challenge.captureMs / Math.max(1, challenge.frames - 1);
  for (let i = 0; i < challenge.frames && !stopped(); i++) {
    if (i > 0) await sleep(gap);
    const frame = await grabFrame(video);
    if (frame) form.append('image', frame, `frame-${i}.jpg`);
  }
  show({ tone: 'idle', decision: 'challenge', title: 'Checking…' });
  return api.form<KioskCheckView>('/api/kiosk/check', form);
}

const sleep = (ms: number) => new Promise<void>((resolve) => window.setTimeout(resolve, ms));

/** For a 429 / 503 refusal: how long the server asked the kiosk to wait (details.retryAfterSeconds); else null. */
function retryAfterMs(error: unknown): number | null {
  if (!(error instanceof ApiError) || (error.status !== 429 && error.status !== 503)) return null;
  const seconds = Number(error.body?.details?.retryAfterSeconds);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : HOLD_MS.error;
}

/** The current video frame as a JPEG, downscaled; null before the first frame arrives. */
async function grabFrame(video: HTMLVideoElement): Promise<Blob | null> {
  if (video.readyState < 2 || video.videoWidth === 0) return null;
  const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(video.videoWidth * scale);
  canvas.height = Math.round(video.videoHeight * scale);
  canvas.getContext('2d')!.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob((blob) => resolve(blob), 'image/jpeg', 0.9));
}
