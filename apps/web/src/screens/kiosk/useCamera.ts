import { RefObject, useEffect, useState } from 'react';

export type CameraState = { state: 'starting' } | { state: 'ready' } | { state: 'failed'; message: string };

/** Starts the device camera into `video` and stops it when the kiosk screen goes away. */
export function useCamera(video: RefObject<HTMLVideoElement | null>): CameraState {
  // navigator.mediaDevices exists only in secure contexts: https, or http on localhost.
  const [state, setState] = useState<CameraState>(() =>
    hasCamera()
      ? { state: 'starting' }
      : { state: 'failed', message: 'This browser cannot use a camera on this page. Open the kiosk over https (or on localhost) in a current browser.' },
  );
  useEffect(() => {
    let stream: MediaStream | null = null;
    let live = true;
    if (!hasCamera()) return;
    navigator.mediaDevices
      .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' }, audio: false })
      .then(async (s) => {
        if (!live) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        const el = video.current!;
        el.srcObject = s;
        await el.play().catch(() => undefined);
        setState({ state: 'ready' });
      })
      .catch((error: unknown) => {
        if (!live) return;
        const name = error instanceof DOMException ? error.name : '';
        const message =
          name === 'NotAllowedError'
            ? 'Camera access was refused. Allow this page to use the camera in the browser settings, then reload.'
            : name === 'NotFoundError' || name === 'OverconstrainedError'
              ? 'No camera was found. Connect a camera and reload.'
              : name === 'NotReadableError'
                ? 'The camera is in use by another program. Close it and reload.'
                : `The camera could not be started (${error instanceof Error ? error.message : String(error)}).`;
        setState({ state: 'failed', message });
      });
    return () => {
      live = false;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [video]);
  return state;
}

/** False on plain http to another host, where browsers hide navigator.mediaDevices. */
function hasCamera(): boolean {
  return typeof (navigator.mediaDevices as MediaDevices | undefined)?.getUserMedia === 'function';
}
