import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AlertRow, Database } from '@vigil/persistence';
import { toAlertEvent } from '../alerts/alert.view';
import { AppEvents } from '../core/app-events';
import { OutboxRelay } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

/** alert rows (seq order) → `alert` to the sockets that have caught up (see the gateway's replay). */
@Injectable()
export class AlertRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly relay: OutboxRelay<AlertRow>;
  private unsubscribe?: () => void;

  constructor(db: Database, gateway: RealtimeGateway, private readonly events: AppEvents) {
    this.relay = new OutboxRelay<AlertRow>(
      {
        name: 'alert',
        lastOffset: () => db.repos.alerts.lastSeq(),
        readAfter: (offset, limit) => db.repos.alerts.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitAlert(toAlertEvent(row)),
      },
      1_000,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.relay.start();
    this.unsubscribe = this.events.on('alert.recorded', () => this.relay.kick());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await this.relay.stop();
  }
}
