import { DynamicModule, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { MetricsController } from './metrics.controller';

@Module({})
export class MetricsModule {
  /** One registry per application instance (tests run several in one process). */
  static register(core: DynamicModule): DynamicModule {
    return { module: MetricsModule, imports: [core], controllers: [MetricsController], providers: [Metrics, MetricsAuthGuard], exports: [Metrics] };
  }
}
