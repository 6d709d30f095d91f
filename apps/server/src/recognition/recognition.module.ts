import { DynamicModule, Module } from '@nestjs/common';
import { AttemptLog } from './attempt-log';
import { CameraLiveController } from './camera-live.controller';
import { CameraLiveService } from './camera-live.service';
import { FrameScheduler } from './frame-scheduler';
import { RecognitionService } from './recognition.service';

@Module({})
export class RecognitionModule {
  static register(deps: {
    core: DynamicModule;
    metrics: DynamicModule;
    inference: DynamicModule;
    ingest: DynamicModule;
    matcher: DynamicModule;
    /** DecisionDispatcher: alerts, attendance, review samples. */
    decisions: DynamicModule;
    /** With the api role in the same process: the live views (snapshot, overlay, attempts) and enrolment from an attempt. */
    gallery?: DynamicModule;
  }): DynamicModule {
    const live = deps.gallery ? { imports: [deps.gallery], controllers: [CameraLiveController], providers: [CameraLiveService] } : { imports: [], controllers: [], providers: [] };
    return {
      module: RecognitionModule,
      imports: [deps.core, deps.metrics, deps.inference, deps.ingest, deps.matcher, deps.decisions, ...live.imports],
      controllers: live.controllers,
      providers: [FrameScheduler, AttemptLog, RecognitionService, ...live.providers],
    };
  }
}
