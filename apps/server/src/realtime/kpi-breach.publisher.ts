import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from './realtime.gateway';

/** KPI breaches found by the monitor in this process → `kpi.breach` (the monitor runs in every api process). */
@Injectable()
export class KpiBreachPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(private readonly gateway: RealtimeGateway, private readonly events: AppEvents) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('kpi.breach', (breach) => this.gateway.emitKpiBreach(breach));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
