import { DynamicModule, Module } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { VIGIL_CONFIG } from '../core/core.module';
import { CameraLeases } from '../leases/camera-leases';
import { Metrics } from '../metrics/metrics';
import { CameraIngestService } from './camera-ingest.service';

@Module({})
export class IngestModule {
  static register(core: DynamicModule, metrics: DynamicModule): DynamicModule {
    return {
      module: IngestModule,
      imports: [core, metrics],
      providers: [
        {
          provide: CameraLeases,
          inject: [VIGIL_CONFIG, Database, Metrics],
          useFactory: (config: VigilConfig, db: Database, m: Metrics) =>
            new CameraLeases(
              db,
              { name: config.worker.name, capacity: config.worker.capacity, ttlSeconds: config.worker.leaseTtlSeconds, rebalanceSeconds: config.worker.rebalanceSeconds },
              m,
              { takeOverOnStart: db.kind === 'embedded' },
            ),
        },
        CameraIngestService,
      ],
      exports: [CameraIngestService, CameraLeases],
    };
  }
}
