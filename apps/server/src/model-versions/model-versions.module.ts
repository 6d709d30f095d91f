import { DynamicModule, Module } from '@nestjs/common';
import { CropEmbedder } from './crop-embedder';
import { EmbeddingUpgrade } from './embedding-upgrade.service';
import { HeadCandidates } from './head-candidate';
import { ModelVersionsController } from './model-versions.controller';
import { ModelVersionsService } from './model-versions.service';
import { RefreshScheduler } from './refresh.scheduler';
import { RefreshService } from './refresh.service';

/**
 * The api role's model lifecycle: version list, refresh (endpoint and schedule), rollback. The
 * active version itself (ActiveModelVersion) comes from the matcher module, so the matcher, the
 * kiosk and these routes share one instance per process.
 */
@Module({})
export class ModelVersionsModule {
  static register(deps: { core: DynamicModule; inference: DynamicModule; matcher: DynamicModule }): DynamicModule {
    return {
      module: ModelVersionsModule,
      imports: [deps.core, deps.inference, deps.matcher],
      controllers: [ModelVersionsController],
      providers: [CropEmbedder, HeadCandidates, RefreshService, ModelVersionsService, RefreshScheduler, EmbeddingUpgrade],
      exports: [RefreshService, RefreshScheduler, EmbeddingUpgrade],
    };
  }
}
