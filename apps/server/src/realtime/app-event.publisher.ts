import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Role } from '@vigil/domain';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from './realtime.gateway';

/**
 * In-process events that happen in one process only (the KPI monitor's breach, the refresh run's
 * progress) → typed socket events to the roles that watch them, on every api process.
 */
@Injectable()
export class AppEventPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly off: Array<() => void> = [];

  constructor(private readonly gateway: RealtimeGateway, private readonly events: AppEvents) {}

  onApplicationBootstrap(): void {
    const watchers: readonly Role[] = ['reviewer', 'admin'];
    this.off.push(
      this.events.on('kpi.breach', (breach) => this.gateway.emitToRoles(watchers, 'kpi.breach', breach)),
      this.events.on('refresh.progress', (run) => this.gateway.emitToRoles(['admin'], 'refresh.progress', run)),
    );
  }

  onApplicationShutdown(): void {
    for (const off of this.off.splice(0)) off();
  }
}
