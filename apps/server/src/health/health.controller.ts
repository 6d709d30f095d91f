import { Controller, Get, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import type { HealthView } from '@vigil/contracts';
import { VIGIL_CONFIG } from '../core/core.module';
import { Public } from '../auth/roles.decorator';
import { InferenceService } from '../inference/inference.service';
import { KpiMonitor } from '../kpi/kpi-monitor.service';

const started = Date.now();

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly inference: InferenceService,
    private readonly kpi: KpiMonitor,
  ) {}

  /** Public on purpose: load balancers and container probes have no token, and nothing here is sensitive. */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and readiness: 200 when the database answers (status degraded if inference failed or a KPI target is missed), 503 otherwise' })
  async health(@Res({ passthrough: true }) res: Response): Promise<HealthView> {
    let database: HealthView['database'];
    try {
      database = { ok: true, kind: this.db.kind, latencyMs: await this.db.ping() };
    } catch {
      database = { ok: false, kind: this.db.kind, latencyMs: null, error: 'database did not answer' };
    }
    const inference = this.inference.health();
    const kpiState = this.kpi.current();
    const kpi: HealthView['kpi'] = { breaches: kpiState?.breaches ?? [], checkedAt: kpiState ? kpiState.checkedAt.toISOString() : null };
    const status: HealthView['status'] = !database.ok ? 'down' : inference?.status === 'failed' || kpi.breaches.length > 0 ? 'degraded' : 'ok';
    if (status === 'down') res.status(503);
    return {
      status,
      version: this.config.version,
      roles: this.config.roles,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      database,
      inference,
      kpi,
    };
  }
}
