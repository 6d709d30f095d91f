import { DynamicModule, Module } from '@nestjs/common';
import { AlertMedia } from './alert-media';
import { GalleryMatcher } from './gallery-matcher.service';
import { RecognitionService } from './recognition.service';

@Module({})
export class RecognitionModule {
  static register(core: DynamicModule, inference: DynamicModule, ingest: DynamicModule, alertsCore: DynamicModule): DynamicModule {
    return {
      module: RecognitionModule,
      imports: [core, inference, ingest, alertsCore],
      providers: [GalleryMatcher, AlertMedia, RecognitionService],
      exports: [GalleryMatcher],
    };
  }
}
