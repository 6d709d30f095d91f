import { DynamicModule, Module } from '@nestjs/common';
import { DemoSeedService } from '../ingest/demo-seed.service';

/**
 * The worker role: camera ingest (one supervisor per enabled camera), inference and the first-start demo. A process can be api, worker or both (VIGIL_ROLES); both is the default so
 * `npm start` is one process on one machine.
 */
@Module({})
export class WorkerModule {
  static register(core: DynamicModule, inference: DynamicModule, ingest: DynamicModule): DynamicModule {
    return { module: WorkerModule, imports: [core, inference, ingest], providers: [DemoSeedService] };
  }
}
