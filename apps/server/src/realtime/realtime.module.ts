import { DynamicModule, Module } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { VIGIL_CONFIG } from '../core/core.module';
import { AppEventPublisher } from './app-event.publisher';
import { AttendanceRelay } from './attendance.relay';
import { CameraStatusRelay } from './camera-status.relay';
import { RealtimeGateway } from './realtime.gateway';
import { ReviewItemRelay } from './review-item.relay';
import { SocketAdapter } from './socket-adapter';

/**
 * The socket gateway, its adapter (memory, or Redis shared by the api processes) and the relays
 * of the outbox tables that carry no feature logic. Features (alerts, auth) bring their own
 * socket providers and import this module for the gateway.
 */
@Module({})
export class RealtimeModule {
  static register(core: DynamicModule): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [core],
      providers: [
        { provide: SocketAdapter, inject: [VIGIL_CONFIG, Database], useFactory: (config: VigilConfig, db: Database) => SocketAdapter.open(config, db) },
        RealtimeGateway,
        CameraStatusRelay,
        AttendanceRelay,
        ReviewItemRelay,
        AppEventPublisher,
      ],
      exports: [RealtimeGateway, SocketAdapter],
    };
  }
}
