import { DynamicModule, Module } from '@nestjs/common';
import { RetentionSettingsController } from './retention-settings.controller';
import { RetentionSettingsService } from './retention-settings.service';
import { RetentionService } from './retention.service';

/** The retention job and its settings (api role: the process that serves media also deletes it). */
@Module({})
export class RetentionModule {
  static register(core: DynamicModule): DynamicModule {
    return {
      module: RetentionModule,
      imports: [core],
      controllers: [RetentionSettingsController],
      providers: [RetentionService, RetentionSettingsService],
      exports: [RetentionService, RetentionSettingsService],
    };
  }
}
