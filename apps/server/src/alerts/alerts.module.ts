import { DynamicModule, Module } from '@nestjs/common';
import { AlertDelivery } from './alert-delivery';
import { AlertEscalator } from './alert-escalator';
import { AlertRelay } from './alert.relay';
import { AlertReplay } from './alert-replay';
import { AlertStatusPublisher } from './alert-status.publisher';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Raising and acting on alerts: used by the worker (recognition) and the api (routes). */
@Module({})
export class AlertsCoreModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: AlertsCoreModule, imports: [core], providers: [AlertsService], exports: [AlertsService] };
  }
}

/**
 * The api role's alert routes, the escalation of unacknowledged alerts, and the consoles' alert
 * feed over the socket gateway: replay, delivery with acknowledgement, status pushes.
 */
@Module({})
export class AlertsModule {
  static register(alertsCore: DynamicModule, core: DynamicModule, realtime: DynamicModule): DynamicModule {
    return {
      module: AlertsModule,
      imports: [alertsCore, core, realtime],
      controllers: [AlertsController],
      providers: [AlertEscalator, AlertDelivery, AlertReplay, AlertRelay, AlertStatusPublisher],
    };
  }
}
