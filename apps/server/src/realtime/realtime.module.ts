import { DynamicModule, Module } from '@nestjs/common';
import { RealtimeGateway } from './realtime.gateway';

@Module({})
export class RealtimeModule {
  static register(core: DynamicModule, auth: DynamicModule): DynamicModule {
    return { module: RealtimeModule, imports: [core, auth], providers: [RealtimeGateway], exports: [RealtimeGateway] };
  }
}
