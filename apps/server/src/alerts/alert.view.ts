import type { AlertRow } from '@vigil/persistence';
import type { AlertEvent, AlertStatusEvent } from '@vigil/contracts';

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

/** A status change as pushed (`alert.status`): who and why come with the change, not from the audit. */
export function toAlertStatusEvent(row: AlertRow, by: string, reason?: 'unacknowledged', now = new Date()): AlertStatusEvent {
  const at = row.status === 'acknowledged' ? row.acknowledgedAt : row.status === 'resolved' ? row.resolvedAt : row.escalatedAt;
  return { id: row.id, seq: row.seq, status: row.status, at: new Date(at ?? now).toISOString(), by, ...(reason ? { reason } : {}) };
}
