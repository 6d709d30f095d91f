import { Inject, Injectable, Logger } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import type { AlertAckReply, AlertEvent } from '@vigil/contracts';
import type { Role } from '@vigil/domain';
import { VIGIL_CONFIG } from '../core/core.module';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import type { VigilSocket } from '../realtime/socket-types';
import { AlertBacklog } from './alert-backlog';
import { AlertsService } from './alerts.service';

/** The live room: security and admin sockets that have caught up (see AlertReplay). */
export const ALERTS_ROOM = 'alerts';
export const ALERT_ROLES: readonly Role[] = ['admin', 'security'];

/**
 * Sends alerts to sockets one by one, never to a room: each api process relays the alert table
 * itself (outbox + NOTIFY) to its own sockets, so a broadcast through the adapter would deliver
 * every alert once per api process. Per socket also attributes an `{ acknowledge: true }` reply
 * to the person behind that socket.
 */
@Injectable()
export class AlertDelivery {
  private readonly logger = new Logger('AlertDelivery');
  private readonly backlogs = new WeakMap<VigilSocket, AlertBacklog>();

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly gateway: RealtimeGateway,
    private readonly alerts: AlertsService,
  ) {}

  /** A committed alert → every caught-up security/admin socket of this process. */
  publish(event: AlertEvent): void {
    for (const socket of this.gateway.localSocketsIn(ALERTS_ROOM)) this.send(socket, event);
  }

  /**
   * One socket, one alert. No timer per alert: the answer settles the socket's backlog, and a
   * socket past VIGIL_SOCKET_UNACKED_MAX unanswered alerts is told why and disconnected (socket.io
   * drops its pending callbacks with it). Returns false when not sent.
   */
  send(socket: VigilSocket, event: AlertEvent): boolean {
    if (!socket.connected) return false;
    let backlog = this.backlogs.get(socket);
    if (!backlog) this.backlogs.set(socket, (backlog = new AlertBacklog(this.config.socketUnackedMax)));
    if (!backlog.take()) {
      this.logger.warn({ tokenId: socket.data.principal.tokenId, unacknowledged: backlog.unacknowledged }, 'socket left too many alerts unanswered; disconnecting it');
      socket.emit('closing', {
        reason: 'alert-backlog',
        message: `${backlog.unacknowledged} alerts are unanswered (the limit); reconnect with auth.offset to receive the rest`,
      });
      socket.disconnect(true);
      return false;
    }
    socket.emit('alert', event, (reply?: AlertAckReply) => {
      backlog.settle();
      if (reply?.acknowledge !== true) return;
      this.alerts.act(socket.data.principal, event.id, 'acknowledge').catch((e: unknown) =>
        // Already acknowledged/resolved (409) is normal when several consoles answer.
        this.logger.debug({ err: e, alertId: event.id }, 'socket acknowledgement not applied'),
      );
    });
    return true;
  }
}
