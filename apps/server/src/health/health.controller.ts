import { Controller, Get, HttpCode, Inject, Optional, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConsoleSessions, TokenIssuer } from '@vigil/auth';
import { DomainError } from '@vigil/domain';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import type { HealthStatusView, HealthView } from '@vigil/contracts';
import { VIGIL_CONFIG } from '../core/core.module';
import { Public } from '../auth/roles.decorator';
import { InferenceService } from '../inference/inference.service';
import { KpiMonitor } from '../kpi/kpi-monitor.service';
import { Leadership } from '../leadership/leadership';
import { SocketAdapter } from '../realtime/socket-adapter';
import { HEALTH_DETAIL_ROLES, mayReadHealthDetails } from './health-viewer';

const started = Date.now();

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly inference: InferenceService,
    private readonly kpi: KpiMonitor,
    private readonly tokens: TokenIssuer,
    private readonly sessions: ConsoleSessions,
    private readonly leadership: Leadership,
    @Optional() private readonly sockets?: SocketAdapter,
  ) {}

  /**
   * Public on purpose: load balancers and container probes have no token, and get `{ status }`
   * alone. The detailed view (inference, database, KPI breaches per camera, errors) needs a token.
   */
  @Get()
  @Public()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Liveness and readiness: 200 when the database answers (status degraded if inference failed, a KPI target is missed or Redis is unreachable), 503 otherwise',
    description: `Without a token: { status } only. With a token or console session of role ${HEALTH_DETAIL_ROLES.join(', ')}: the detailed view.`,
  })
  async health(
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HealthView | HealthStatusView> {
    let database: HealthView['database'];
    try {
      database = { ok: true, kind: this.db.kind, latencyMs: await this.db.ping() };
    } catch {
      database = { ok: false, kind: this.db.kind, latencyMs: null, error: 'database did not answer' };
    }
    const inference = this.inference.health();
    const kpiState = this.kpi.current();
    const kpi: HealthView['kpi'] = { breaches: kpiState?.breaches ?? [], checkedAt: kpiState ? kpiState.checkedAt.toISOString() : null };
    const realtime = this.sockets?.state() ?? null;
    const degraded = inference?.status === 'failed' || kpi.breaches.length > 0 || realtime?.connected === false;
    const status: HealthView['status'] = !database.ok ? 'down' : degraded ? 'degraded' : 'ok';
    if (status === 'down') res.status(503);
    let detailed: boolean;
    try {
      detailed = await mayReadHealthDetails(req, this.tokens, this.sessions);
    } catch (error) {
      // With the database down no token can be checked: the verdict alone, still with its 503.
      if (database.ok || error instanceof DomainError) throw error;
      detailed = false;
    }
    if (!detailed) return { status };
    return {
      status,
      version: this.config.version,
      roles: this.config.roles,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      database,
      inference,
      kpi,
      jobs: this.leadership.status(),
      realtime,
    };
  }
}
