import { DynamicModule, Module } from '@nestjs/common';
import { CameraIngestService } from './camera-ingest.service';

@Module({})
export class IngestModule {
  static register(core: DynamicModule, metrics: DynamicModule): DynamicModule {
    return { module: IngestModule, imports: [core, metrics], providers: [CameraIngestService], exports: [CameraIngestService] };
  }
}
