import { Injectable } from '@nestjs/common';
import { Database, CameraEventRow } from '@vigil/persistence';
import type { CameraStatusEvent } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

export function toCameraStatusEvent(row: CameraEventRow): CameraStatusEvent {
  return {
    cameraId: row.cameraId,
    status: row.status,
    at: new Date(row.at).toISOString(),
    fps: row.fps,
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

/** camera_event → `camera.status`. Ingest may run in another process; the table is the source. */
@Injectable()
export class CameraStatusRelay extends OutboxRelayHost<CameraEventRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'camera_event',
        lastOffset: () => db.repos.cameras.lastEventId(),
        readAfter: (offset, limit) => db.repos.cameras.eventsAfter(offset, limit),
        offsetOf: (row) => row.id,
        publish: (row) => gateway.emitCameraStatus(toCameraStatusEvent(row)),
      },
      events,
      'camera.event-recorded',
    );
  }
}
