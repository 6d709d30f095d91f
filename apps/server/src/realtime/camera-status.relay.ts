import { Injectable } from '@nestjs/common';
import { Database, CameraEventRow } from '@vigil/persistence';
import { toCameraStatusEvent } from '../cameras/camera-status.view';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

/**
 * camera_event → `camera.status` to the roles that watch cameras. Ingest may run in another
 * process; the table is the source. Every api process relays it itself, so it emits to its own
 * sockets only.
 */
@Injectable()
export class CameraStatusRelay extends OutboxRelayHost<CameraEventRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'camera_event',
        lastOffset: () => db.repos.cameras.lastEventId(),
        readAfter: (offset, limit) => db.repos.cameras.eventsAfter(offset, limit),
        offsetOf: (row) => row.id,
        publish: (row) => gateway.emitToRolesLocal(['admin', 'security'], 'camera.status', toCameraStatusEvent(row)),
      },
      events,
      'camera.event-recorded',
    );
  }
}
