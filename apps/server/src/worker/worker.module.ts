import { DynamicModule, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';

/**
 * The worker role: camera ingest and inference run here (they arrive with the vision and ingest
 * capabilities). A process can be api, worker or both (VIGIL_ROLES); both is the default so
 * `npm start` is one process on one machine.
 */
@Module({})
export class WorkerModule implements OnApplicationBootstrap {
  private readonly logger = new Logger('Worker');

  static register(core: DynamicModule): DynamicModule {
    return { module: WorkerModule, imports: [core] };
  }

  onApplicationBootstrap(): void {
    this.logger.log('worker role active');
  }
}
