import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  static register(core: DynamicModule, inference: DynamicModule): DynamicModule {
    return { module: HealthModule, imports: [core, inference], controllers: [HealthController] };
  }
}
