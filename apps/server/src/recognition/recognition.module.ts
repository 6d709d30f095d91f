import { DynamicModule, Module } from '@nestjs/common';
import { EvidenceImages } from './evidence-images';
import { RecognitionService } from './recognition.service';

@Module({})
export class RecognitionModule {
  static register(deps: {
    core: DynamicModule;
    inference: DynamicModule;
    ingest: DynamicModule;
    alertsCore: DynamicModule;
    attendanceCore: DynamicModule;
    matcher: DynamicModule;
    /** ReviewSampler, for unknown tracks. */
    reviewsCore: DynamicModule;
  }): DynamicModule {
    return {
      module: RecognitionModule,
      imports: [deps.core, deps.inference, deps.ingest, deps.alertsCore, deps.attendanceCore, deps.matcher, deps.reviewsCore],
      providers: [EvidenceImages, RecognitionService],
    };
  }
}
