import { DynamicModule, Module } from '@nestjs/common';
import { AlertRelay } from './alert.relay';
import { AttendanceRelay } from './attendance.relay';
import { CameraStatusRelay } from './camera-status.relay';
import { RealtimeGateway } from './realtime.gateway';
import { KpiBreachPublisher } from './kpi-breach.publisher';
import { RefreshProgressPublisher } from './refresh-progress.publisher';
import { ReviewItemRelay } from './review-item.relay';

@Module({})
export class RealtimeModule {
  static register(core: DynamicModule, alertsCore: DynamicModule): DynamicModule {
    return {
      module: RealtimeModule,
      imports: [core, alertsCore],
      providers: [RealtimeGateway, CameraStatusRelay, AlertRelay, AttendanceRelay, ReviewItemRelay, KpiBreachPublisher, RefreshProgressPublisher],
      exports: [RealtimeGateway],
    };
  }
}
