import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  static register(core: DynamicModule, inference: DynamicModule, kpi: DynamicModule): DynamicModule {
    return { module: HealthModule, imports: [core, inference, kpi], controllers: [HealthController] };
  }
}
