import type { CameraEntity, CameraLeaseInfo } from '@vigil/persistence';
import type { CameraView } from '@vigil/contracts';
import { redactCredentials } from '@vigil/video';
import { cameraSettings } from '@vigil/domain';

/** `lease`: the camera's current, unexpired lease (which worker runs it), if any. */
export function toCameraView(c: CameraEntity, lease: CameraLeaseInfo | null = null): CameraView {
  return {
    id: c.id,
    name: c.name,
    url: redactCredentials(c.url),
    fps: c.fps,
    enabled: c.enabled,
    settings: cameraSettings(c.settings),
    status: c.enabled ? c.status : 'disabled',
    statusReason: c.statusReason,
    measuredFps: c.measuredFps,
    lastFrameAt: c.lastFrameAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    worker: lease ? { id: lease.workerId, name: lease.workerName } : null,
    leaseEpoch: lease?.epoch ?? null,
  };
}
