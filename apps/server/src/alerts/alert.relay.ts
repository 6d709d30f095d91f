import { Injectable } from '@nestjs/common';
import { AlertRow, Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { OutboxRelayHost } from '../realtime/outbox-relay';
import { AlertDelivery } from './alert-delivery';
import { toAlertEvent } from './alert.view';

/**
 * alert rows (seq order) → `alert` to this process's sockets that have caught up (AlertReplay).
 * Every api process runs one, woken by the database's NOTIFY, so each console gets each alert
 * from the process it is connected to, exactly once.
 */
@Injectable()
export class AlertRelay extends OutboxRelayHost<AlertRow> {
  constructor(db: Database, delivery: AlertDelivery, events: AppEvents) {
    super(
      {
        name: 'alert',
        lastOffset: () => db.repos.alerts.lastSeq(),
        readAfter: (offset, limit) => db.repos.alerts.after(offset, limit),
        offsetOf: (row) => row.seq,
        publish: (row) => delivery.publish(toAlertEvent(row)),
      },
      events,
      'alert.recorded',
    );
  }
}
