import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  /** `realtime` (api processes): health also reports the socket adapter. */
  static register(core: DynamicModule, inference: DynamicModule, kpi: DynamicModule, realtime?: DynamicModule): DynamicModule {
    return { module: HealthModule, imports: [core, inference, kpi, ...(realtime ? [realtime] : [])], controllers: [HealthController] };
  }
}
