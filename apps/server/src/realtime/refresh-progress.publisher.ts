import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { AppEvents } from '../core/app-events';
import { RealtimeGateway } from './realtime.gateway';

/** Model refresh runs this process runs (start, phase, end) → `refresh.progress` to admins. */
@Injectable()
export class RefreshProgressPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe?: () => void;

  constructor(private readonly gateway: RealtimeGateway, private readonly events: AppEvents) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('refresh.progress', (run) => this.gateway.emitRefreshProgress(run));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
