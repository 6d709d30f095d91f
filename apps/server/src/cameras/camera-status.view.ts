import type { CameraEventRow } from '@vigil/persistence';
import type { CameraStatusEvent } from '@vigil/contracts';

export function toCameraStatusEvent(row: CameraEventRow): CameraStatusEvent {
  return {
    cameraId: row.cameraId,
    status: row.status,
    at: new Date(row.at).toISOString(),
    fps: row.fps,
    ...(row.reason ? { reason: row.reason } : {}),
  };
}
