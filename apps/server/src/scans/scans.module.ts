import { DynamicModule, Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import type { VigilConfig } from '@vigil/config';
import { VIGIL_CONFIG } from '../core/core.module';
import { ScanProgressRelay } from './scan-progress.relay';
import { ScanRunner } from './scan-runner';
import { ScanStorage } from './scan-storage';
import { ScanUploadErrors } from './scan-upload.interceptor';
import { ScanUploadStorage } from './scan-upload.storage';
import { ScansController } from './scans.controller';
import { ScansService } from './scans.service';

const storageProvider = { provide: ScanStorage, inject: [VIGIL_CONFIG], useFactory: (config: VigilConfig) => new ScanStorage(config.dataDir) };

/** Scan jobs, api side: the routes (upload streamed to disk, probed, queued) and the `scan.progress` relay. */
@Module({})
export class ScansModule {
  static register(deps: { core: DynamicModule; realtime: DynamicModule }): DynamicModule {
    return {
      module: ScansModule,
      imports: [
        deps.core,
        deps.realtime,
        MulterModule.registerAsync({
          imports: [deps.core],
          inject: [VIGIL_CONFIG],
          useFactory: (config: VigilConfig) => ({
            storage: new ScanUploadStorage(new ScanStorage(config.dataDir)),
            // One file and the list; the file may be large, everything else is tiny.
            limits: { fileSize: config.scanMaxUploadBytes, files: 1, fields: 2, fieldSize: 64, parts: 4 },
            defParamCharset: 'utf8',
          }),
        }),
      ],
      controllers: [ScansController],
      providers: [storageProvider, ScansService, ScanUploadErrors, ScanProgressRelay],
    };
  }
}

/** Scan jobs, worker side: the runner (one job at a time per worker process). */
@Module({})
export class ScanWorkerModule {
  static register(deps: { core: DynamicModule; inference: DynamicModule; ingest: DynamicModule; matcher: DynamicModule }): DynamicModule {
    return {
      module: ScanWorkerModule,
      imports: [deps.core, deps.inference, deps.ingest, deps.matcher],
      providers: [storageProvider, ScanRunner],
    };
  }
}
