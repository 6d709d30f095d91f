import { DynamicModule, Module } from '@nestjs/common';
import { KpiMonitor } from './kpi-monitor.service';
import { RecognitionMetricsService } from './recognition-metrics.service';

/** Recognition metrics and the KPI monitor: every process has them (health reports breaches). */
@Module({})
export class KpiModule {
  static register(core: DynamicModule): DynamicModule {
    return { module: KpiModule, imports: [core], providers: [RecognitionMetricsService, KpiMonitor], exports: [RecognitionMetricsService, KpiMonitor] };
  }
}
