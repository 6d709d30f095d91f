import { DynamicModule, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Module({})
export class MetricsModule {
  /** One registry per application instance (tests run several in one process). */
  static register(): DynamicModule {
    return { module: MetricsModule, controllers: [MetricsController], providers: [Metrics], exports: [Metrics] };
  }
}
