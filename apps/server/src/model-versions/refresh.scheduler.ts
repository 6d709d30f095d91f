import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { readHeadSettings } from './head-settings';
import { readLifecycleSettings } from './lifecycle-settings';
import { RefreshService } from './refresh.service';
import { Leadership } from '../leadership/leadership';

/** How often the schedule is checked; the interval itself is a setting, read each time. */
const TICK_MS = 60_000;

/**
 * The scheduled refresh (off by default): when `lifecycle.refresh.intervalHours` > 0, the newest
 * model version is older than that and reviewers labelled something since, run a refresh as the
 * system. Only the api process that leads the `refresh-scheduler` job ticks (see Leadership); a
 * refresh an admin started anywhere still keeps it from starting a second (one running run across
 * all processes), and the refresh's commit re-checks the active version under the versions lock.
 */
@Injectable()
export class RefreshScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ModelRefresh');
  private ticking?: Promise<void>;
  private withdraw?: () => Promise<void>;

  constructor(private readonly db: Database, private readonly refresher: RefreshService, private readonly leadership: Leadership) {}

  onApplicationBootstrap(): void {
    this.withdraw = this.leadership.every('refresh-scheduler', TICK_MS, () => this.tick());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.withdraw?.();
    await this.ticking;
  }

  /** One check of the schedule; resolves true when it ran a refresh. Public for tests. */
  async tick(now = new Date()): Promise<boolean> {
    if (this.ticking || this.refresher.isRunning) return false;
    let ran = false;
    this.ticking = (async () => {
      try {
        const { refresh } = await readLifecycleSettings(this.db.repos);
        if (refresh.intervalHours <= 0) return;
        const last = (await this.db.repos.modelVersions.lastCreatedAt()) ?? new Date(0);
        if (now.getTime() - last.getTime() < refresh.intervalHours * 3_600_000) return;
        if (!(await this.db.repos.reviewedData.labelledSince(last))) return;
        this.logger.log({ intervalHours: refresh.intervalHours, last }, 'scheduled model refresh starting');
        await this.refresher.refresh(null);
        ran = true;
        // A learned head only when enabled (off by default: it did not help on LFW).
        const head = await readHeadSettings(this.db.repos);
        if (head.enabled) await this.refresher.refreshHead(null);
      } catch (error) {
        this.logger.warn({ err: error }, 'scheduled model refresh failed');
      }
    })();
    try {
      await this.ticking;
    } finally {
      this.ticking = undefined;
    }
    return ran;
  }
}
