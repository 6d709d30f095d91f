import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import type { KpiBreachView } from '@vigil/contracts';
import { localDate } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { Leadership } from '../leadership/leadership';
import { loadReviewSettings } from '../reviews/review-sampling';
import { RecognitionMetricsService } from './recognition-metrics.service';

/** Labels may be written by another process; this re-check catches up with them. */
const RECHECK_MS = 60_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Judges the KPI targets on the reviewed decisions of the last `kpiWindowDays` local days: at boot,
 * after each label, after a settings change and every minute. A breach that was not there at the
 * previous check is pushed as `kpi.breach`; while any breach stands, GET /api/health is `degraded`
 * and lists them. Every process checks (for its own health), but only the api process that leads
 * the `kpi-monitor` job (see Leadership) emits the new breaches, so consoles get each one once. A
 * new leader has been checking all along, so it does not re-announce a standing breach.
 */
@Injectable()
export class KpiMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KpiMonitor');
  private state: { breaches: KpiBreachView[]; checkedAt: Date } | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private withdraw?: () => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly metrics: RecognitionMetricsService,
    private readonly events: AppEvents,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly leadership: Leadership,
  ) {}

  onApplicationBootstrap(): void {
    // Consoles are served by api processes: only they campaign to announce breaches.
    if (this.config.roles.includes('api')) this.withdraw = this.leadership.run('kpi-monitor', { start: () => undefined, stop: () => undefined });
    const recheck = () => void this.check().catch((error: unknown) => this.logger.warn({ err: error }, 'KPI check failed; will retry'));
    recheck();
    this.timer = setInterval(recheck, RECHECK_MS);
    this.timer.unref();
    this.unsubscribe = this.events.on('review.settings-changed', recheck);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    await this.withdraw?.();
  }

  /** The last check's result; null before the first one finished. */
  current(): { breaches: KpiBreachView[]; checkedAt: Date } | null {
    return this.state;
  }

  /** Runs a check after any one in progress (checks never overlap) and returns its breaches. */
  check(): Promise<KpiBreachView[]> {
    const run = this.chain.then(() => this.evaluate());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async evaluate(): Promise<KpiBreachView[]> {
    const settings = await loadReviewSettings(this.db.repos);
    const now = Date.now();
    const to = localDate(now, this.config.timeZone);
    const from = localDate(now - (settings.kpiWindowDays - 1) * DAY_MS, this.config.timeZone);
    const breaches = (await this.metrics.report({ from, to })).kpi.breaches;
    const key = (b: KpiBreachView) => `${b.metric}|${b.scope}`;
    const before = new Set((this.state?.breaches ?? []).map(key));
    this.state = { breaches, checkedAt: new Date(now) };
    const at = new Date(now).toISOString();
    const announce = this.leadership.isLeader('kpi-monitor');
    if (announce) this.leadership.recordRun('kpi-monitor');
    for (const b of breaches.filter((b) => !before.has(key(b)))) {
      this.logger.warn({ ...b }, 'KPI target missed');
      if (announce) this.events.emit('kpi.breach', { ...b, at });
    }
    if (before.size > 0 && breaches.length === 0) this.logger.log('KPI targets met again');
    return breaches;
  }
}
