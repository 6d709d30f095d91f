import { useEffect, useState } from 'react';
import type { CameraOverlayView } from '@vigil/contracts';
import { Api, ApiError, errorText } from './http';

/** How often a visible tile asks for the camera's latest frame. */
export const LIVE_EVERY_MS = 3_000;

/** The slowest it goes after the server said "too many requests" (429) again and again. */
const SLOWEST_MS = 24_000;

export type LiveView =
  | { state: 'loading' }
  /** 404: the camera has not delivered a frame yet. */
  | { state: 'none' }
  | { state: 'error'; message: string }
  | {
      state: 'ready';
      /** blob: URL of the latest JPEG (the previous one is revoked when it is replaced). */
      url: string;
      /** Faces of the camera's last analysis; null when the server could not say. */
      overlay: CameraOverlayView | null;
      /** The server asked us to slow down (429): the picture is older than usual. */
      slowed: boolean;
      /** Why the last refresh failed, while the previous picture stays up. */
      problem: string | null;
    };

/** Holds one blob: URL at a time and revokes the one it replaces. */
class BlobSlot {
  private url: string | null = null;

  replace(blob: Blob): string {
    this.clear();
    this.url = URL.createObjectURL(blob);
    return this.url;
  }

  clear(): void {
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }
}

/**
 * The camera's latest frame (GET /api/cameras/:id/snapshot, JPEG) with the faces of its last
 * analysis (GET /api/cameras/:id/overlay), refreshed every few seconds while `active`. One request
 * at a time; a 429 keeps the last picture and doubles the wait until a frame comes through again.
 */
export function useLiveView(api: Api, cameraId: string, active: boolean): LiveView {
  const [view, setView] = useState<LiveView>({ state: 'loading' });
  const [slot] = useState(() => new BlobSlot());
  useEffect(() => () => slot.clear(), [slot]);

  useEffect(() => {
    if (!active) return;
    let live = true;
    let timer: number | undefined;
    let delay = LIVE_EVERY_MS;
    const tick = async () => {
      try {
        const [blob, overlay] = await Promise.all([
          api.blob(`/api/cameras/${cameraId}/snapshot`),
          api.get<CameraOverlayView>(`/api/cameras/${cameraId}/overlay`).catch(() => null),
        ]);
        if (!live) return;
        delay = LIVE_EVERY_MS;
        setView({ state: 'ready', url: slot.replace(blob), overlay, slowed: false, problem: null });
      } catch (error) {
        if (!live) return;
        const status = error instanceof ApiError ? error.status : 0;
        if (status === 429) {
          delay = Math.min(delay * 2, SLOWEST_MS);
          setView((v) => (v.state === 'ready' ? { ...v, slowed: true } : v));
        } else if (status === 503) {
          // An api-only server process: it says where the live views are served; ask rarely.
          delay = SLOWEST_MS;
          setView({ state: 'error', message: errorText(error) });
        } else if (status === 404) {
          slot.clear();
          setView({ state: 'none' });
        } else {
          const message = errorText(error);
          setView((v) => (v.state === 'ready' ? { ...v, problem: message } : { state: 'error', message }));
        }
      }
      if (live) timer = window.setTimeout(() => void tick(), delay);
    };
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [api, cameraId, active, slot]);

  return view;
}
