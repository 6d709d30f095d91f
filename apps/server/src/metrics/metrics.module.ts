import { DynamicModule, Module } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { Metrics } from './metrics';
import { MetricsAuthGuard } from './metrics-auth.guard';
import { MetricsController } from './metrics.controller';

@Module({})
export class MetricsModule {
  /** One registry per application instance (tests run several in one process). */
  static register(core: DynamicModule): DynamicModule {
    return { module: MetricsModule, imports: [core], controllers: [MetricsController], providers: [
        // vigil_db_statements_total reads the database's statement counter at scrape time.
        { provide: Metrics, inject: [Database], useFactory: (db: Database) => new Metrics().trackingStatements(() => db.statements) },
        MetricsAuthGuard,
      ], exports: [Metrics] };
  }
}
