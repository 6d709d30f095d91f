import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  /** `inference` is present in worker processes; an api-only process reports inference as null. */
  static register(core: DynamicModule, inference: DynamicModule | null): DynamicModule {
    return { module: HealthModule, imports: inference ? [core, inference] : [core], controllers: [HealthController] };
  }
}
