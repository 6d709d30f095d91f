import { DynamicModule, Module } from '@nestjs/common';
import { AlertEscalator } from './alert-escalator';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

/** Raising and acting on alerts: used by the worker (recognition) and the api (routes). */
@Module({})
export class AlertsCoreModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: AlertsCoreModule, imports: [core], providers: [AlertsService], exports: [AlertsService] };
  }
}

/** The api role's alert routes and the escalation of unacknowledged alerts. */
@Module({})
export class AlertsModule {
  static register(alertsCore: DynamicModule, core: DynamicModule): DynamicModule {
    return { module: AlertsModule, imports: [alertsCore, core], controllers: [AlertsController], providers: [AlertEscalator] };
  }
}
