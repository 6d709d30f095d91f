import { DynamicModule, Module } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { Leadership } from '../leadership/leadership';
import { Metrics } from './metrics';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { MetricsController } from './metrics.controller';

@Module({})
export class MetricsModule {
  /** One registry per application instance (tests run several in one process). */
  static register(core: DynamicModule): DynamicModule {
    return { module: MetricsModule, imports: [core], controllers: [MetricsController], providers: [
        // vigil_db_statements_total reads the database's statement counter at scrape time; the job
        // metrics read Leadership (provided by the core module).
        {
          provide: Metrics,
          inject: [Database, { token: Leadership, optional: true }],
          useFactory: (db: Database, leadership?: Leadership) => new Metrics(leadership ?? undefined).trackingStatements(() => db.statements),
        },
        MetricsAuthGuard,
      ], exports: [Metrics] };
  }
}
