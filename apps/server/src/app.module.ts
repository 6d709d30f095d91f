import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { VigilConfig } from '@vigil/config';
import type { Database } from '@vigil/persistence';
import { AlertsCoreModule, AlertsModule } from './alerts/alerts.module';
import { AttendanceCoreModule, AttendanceModule } from './attendance/attendance.module';
import { AuthModule } from './auth/auth.module';
import { CamerasModule } from './cameras/cameras.module';
import { CoreModule } from './core/core.module';
import { GalleryModule } from './gallery/gallery.module';
import { HealthModule } from './health/health.module';
import { InferenceModule } from './inference/inference.module';
import { IngestModule } from './ingest/ingest.module';
import { PersonsModule } from './persons/persons.module';
import { KioskModule } from './kiosk/kiosk.module';
import { KpiModule } from './kpi/kpi.module';
import { MatcherModule } from './recognition/matcher.module';
import { DecisionsModule } from './recognition/decisions.module';
import { RecognitionModule } from './recognition/recognition.module';
import { MetricsModule } from './metrics/metrics.module';
import { ModelVersionsModule } from './model-versions/model-versions.module';
import { loggerParams } from './platform/logger';
import { RealtimeModule } from './realtime/realtime.module';
import { RetentionModule } from './retention/retention.module';
import { ReviewsCoreModule, ReviewsModule } from './reviews/reviews.module';
import { ScansModule, ScanWorkerModule } from './scans/scans.module';
import { WorkerModule } from './worker/worker.module';

/**
 * Composes the process from its roles. `api` brings the HTTP resources and the socket gateway;
 * `worker` brings ingest and inference. Health is always served, so every process can be probed.
 */
@Module({})
export class AppModule {
  static register(config: VigilConfig, database: Database): DynamicModule {
    const core = CoreModule.forRoot(config, database);
    const api = config.roles.includes('api');
    const realtime = api ? RealtimeModule.register(core) : undefined;
    const auth = AuthModule.register(core, realtime);
    const worker = config.roles.includes('worker');
    const metrics = MetricsModule.register(core);
    const inference = InferenceModule.register(core, metrics);
    const alertsCore = AlertsCoreModule.register(core);
    const attendanceCore = AttendanceCoreModule.register(core);
    const matcher = MatcherModule.register(core);
    const reviewsCore = ReviewsCoreModule.register(core);
    const kpi = KpiModule.register(core);
    const decisions = DecisionsModule.register({ core, alertsCore, attendanceCore, reviewsCore });
    const gallery = GalleryModule.register(core, inference);
    const imports: DynamicModule[] = [LoggerModule.forRoot(loggerParams(config)), core, auth, metrics, HealthModule.register(core, inference, kpi, realtime), reviewsCore];
    if (realtime) {
      imports.push(PersonsModule.register(core), gallery, CamerasModule.register(core, { liveViews: worker }), AlertsModule.register(alertsCore, core, realtime), realtime);
      imports.push(AttendanceModule.register(attendanceCore), KioskModule.register({ core, inference, matcher, decisions, metrics }));
      imports.push(ReviewsModule.register({ core, reviewsCore, kpi }), RetentionModule.register(core));
      imports.push(ModelVersionsModule.register({ core, inference, matcher }), ScansModule.register({ core, realtime }));
    }
    if (worker) {
      const ingest = IngestModule.register(core, metrics);
      imports.push(
        WorkerModule.register(core, inference, ingest),
        RecognitionModule.register({ core, metrics, inference, ingest, matcher, decisions, gallery: api ? gallery : undefined }),
        ScanWorkerModule.register({ core, inference, ingest, matcher }),
      );
    }
    return { module: AppModule, imports };
  }
}
