import { DynamicModule, Module } from '@nestjs/common';
import { AlertsController } from './alerts.controller';
import { AlertsService } from './alerts.service';

@Module({})
export class AlertsModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: AlertsModule, imports: [core], controllers: [AlertsController], providers: [AlertsService], exports: [AlertsService] };
  }
}
