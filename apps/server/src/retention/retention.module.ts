import { DynamicModule, Module } from '@nestjs/common';
import { RetentionService } from './retention.service';

/** The retention job (api role: the process that serves media also deletes it). */
@Module({})
export class RetentionModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: RetentionModule, imports: [core], providers: [RetentionService], exports: [RetentionService] };
  }
}
