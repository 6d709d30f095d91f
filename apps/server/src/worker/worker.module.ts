import { DynamicModule, Module } from '@nestjs/common';

/**
 * The worker role: inference (the InferenceModule it imports) and, with ingest, the camera
 * supervisors. A process can be api, worker or both (VIGIL_ROLES); both is the default so
 * `npm start` is one process on one machine.
 */
@Module({})
export class WorkerModule {
  static register(core: DynamicModule, inference: DynamicModule): DynamicModule {
    return { module: WorkerModule, imports: [core, inference] };
  }
}
