import { DynamicModule, Module } from '@nestjs/common';
import { RecognitionMetricsController } from '../kpi/recognition-metrics.controller';
import { ReviewSampler } from './review-sampler.service';
import { ReviewSettingsController } from './review-settings.controller';
import { ReviewSettingsService } from './review-settings.service';
import { ReviewsController } from './reviews.controller';
import { ReviewsService } from './reviews.service';

/** Review settings and the sampler of unknown tracks: used by the worker (pipeline) and the api. */
@Module({})
export class ReviewsCoreModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: ReviewsCoreModule, imports: [core], providers: [ReviewSettingsService, ReviewSampler], exports: [ReviewSettingsService, ReviewSampler] };
  }
}

/** The api role's review queue, labels, review settings and recognition metrics routes. */
@Module({})
export class ReviewsModule {
  static register(deps: { core: DynamicModule; reviewsCore: DynamicModule; kpi: DynamicModule }): DynamicModule {
    return {
      module: ReviewsModule,
      imports: [deps.core, deps.reviewsCore, deps.kpi],
      controllers: [ReviewsController, ReviewSettingsController, RecognitionMetricsController],
      providers: [ReviewsService],
    };
  }
}
