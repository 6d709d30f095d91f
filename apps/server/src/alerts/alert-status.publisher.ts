import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { ALERTS_ROOM } from './alert-delivery';
import { toAlertStatusEvent } from './alert.view';
import { AlertsService } from './alerts.service';

/**
 * An alert's status changed in this process (an acknowledgement over HTTP or a socket answer, the
 * escalator) → `alert.status` to the live alerts room of every api process, through the adapter:
 * only the process that made the change knows of it, so it is the one that pushes it.
 */
@Injectable()
export class AlertStatusPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertStatus');
  private unsubscribe?: () => void;

  constructor(private readonly alerts: AlertsService, private readonly gateway: RealtimeGateway, private readonly events: AppEvents) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('alert.status-changed', (id, by, reason) => void this.push(id, by, reason));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  private async push(id: string, by: string, reason?: 'unacknowledged'): Promise<void> {
    try {
      const row = await this.alerts.findById(id);
      if (row) this.gateway.emitToRoom(ALERTS_ROOM, 'alert.status', toAlertStatusEvent(row, by, reason));
    } catch (error) {
      this.logger.warn({ err: error, alertId: id }, 'alert status not pushed');
    }
  }
}
