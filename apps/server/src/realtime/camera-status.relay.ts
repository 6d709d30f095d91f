import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database, CameraEventRow } from '@vigil/persistence';
import type { CameraStatusEvent } from '@vigil/contracts';
import { AppEvents } from '../core/app-events';
import { OutboxRelay } from './outbox-relay';
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
export class CameraStatusRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay<CameraEventRow>;
  private unsubscribe?: () => void;

  constructor(db: Database, gateway: RealtimeGateway, private readonly events: AppEvents) {
    this.relay = new OutboxRelay<CameraEventRow>(
      {
        name: 'camera_event',
        lastOffset: () => db.repos.cameras.lastEventId(),
        readAfter: (offset, limit) => db.repos.cameras.eventsAfter(offset, limit),
        offsetOf: (row) => row.id,
        publish: (row) => gateway.emitCameraStatus(toCameraStatusEvent(row)),
      },
      1_000,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.unsubscribe = this.events.on('camera.event-recorded', () => this.relay.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
  }
}
