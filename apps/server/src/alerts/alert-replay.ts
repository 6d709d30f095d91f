import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { VIGIL_CONFIG } from '../core/core.module';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import type { VigilSocket } from '../realtime/socket-types';
import { ALERT_ROLES, ALERTS_ROOM, AlertDelivery } from './alert-delivery';
import { parseOffset } from './alert-offset';
import { toAlertEvent } from './alert.view';
import { planReplay } from './replay-window';

/** The `alerts.more` count stops here ("at least"), so a client far behind costs one bounded count. */
const SKIPPED_COUNT_CAP = 10_000;

/**
 * A security/admin socket's first moments: replays alerts after the client's `auth.offset`, then
 * joins the live alerts room and replays once more what committed meanwhile. Each replay is
 * bounded: the newest VIGIL_SOCKET_REPLAY_MAX alerts, in seq order, preceded by `alerts.more`
 * when older ones are left out. A client may see an alert twice around the switch (it
 * de-duplicates by id). Without an offset: live only.
 */
@Injectable()
export class AlertReplay implements OnModuleInit {
  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly gateway: RealtimeGateway,
    private readonly delivery: AlertDelivery,
  ) {}

  onModuleInit(): void {
    this.gateway.onConnection(ALERT_ROLES, (socket) => this.catchUp(socket));
  }

  async catchUp(socket: VigilSocket): Promise<void> {
    const offset = parseOffset((socket.handshake.auth as { offset?: unknown } | undefined)?.offset);
    if (offset === null) {
      await socket.join(ALERTS_ROOM);
      return;
    }
    const cursor = await this.replayWindow(socket, offset);
    if (!socket.connected) return;
    await socket.join(ALERTS_ROOM);
    await this.replayWindow(socket, cursor);
  }

  /** One bounded replay after `offset`; returns the offset it reached. */
  private async replayWindow(socket: VigilSocket, offset: string): Promise<string> {
    const max = this.config.socketReplayMax;
    const plan = planReplay(offset, await this.db.repos.alerts.newestAfter(offset, max + 1), max);
    if (!socket.connected) return offset;
    if (plan.skipped) {
      const count = await this.db.repos.alerts.countBetween(plan.skipped.afterSeq, plan.skipped.throughSeq, SKIPPED_COUNT_CAP);
      socket.emit('alerts.more', { ...plan.skipped, count, atLeast: count >= SKIPPED_COUNT_CAP });
    }
    for (const row of plan.window) if (!this.delivery.send(socket, toAlertEvent(row))) break;
    return plan.cursor;
  }
}
