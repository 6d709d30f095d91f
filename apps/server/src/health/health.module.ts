import { DynamicModule, Module } from '@nestjs/common';
import { HealthController } from './health.controller';

@Module({})
export class HealthModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: HealthModule, imports: [core], controllers: [HealthController] };
  }
}
