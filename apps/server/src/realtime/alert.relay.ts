import { Injectable } from '@nestjs/common';
import { AlertRow, Database } from '@vigil/persistence';
import { toAlertEvent } from '../alerts/alert.view';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from './outbox-relay';
import { RealtimeGateway } from './realtime.gateway';

/** alert rows (seq order) → `alert` to the sockets that have caught up (see the gateway's replay). */
@Injectable()
export class AlertRelay extends OutboxRelayHost<AlertRow> {
  constructor(db: Database, gateway: RealtimeGateway, events: AppEvents) {
    super(
      {
        name: 'alert',
        lastOffset: () => db.repos.alerts.lastSeq(),
        readAfter: (offset, limit) => db.repos.alerts.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => gateway.emitAlert(toAlertEvent(row)),
      },
      events,
      'alert.recorded',
    );
  }
}
