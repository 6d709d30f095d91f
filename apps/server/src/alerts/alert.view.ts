import type { AlertRow } from '@vigil/persistence';
import type { AlertEvent } from '@vigil/contracts';

export function toAlertEvent(a: AlertRow): AlertEvent {
  return {
    seq: a.seq,
    id: a.id,
    cameraId: a.cameraId,
    personId: a.personId,
    personName: a.personName,
    list: a.list,
    score: a.score,
    trackId: a.trackId,
    at: new Date(a.raisedAt).toISOString(),
    status: a.status,
    cropUrl: a.cropMediaId ? `/api/media/${a.cropMediaId}` : null,
    frameUrl: a.frameMediaId ? `/api/media/${a.frameMediaId}` : null,
    evidenceExpired: a.evidenceExpiredAt !== null,
  };
}
