import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { actorOf } from '@vigil/auth';
import type { VigilConfig } from '@vigil/config';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { Leadership } from '../leadership/leadership';

/** How often overdue alerts are looked for: the escalation lands within this of its deadline. */
const CHECK_MS = 1_000;

/**
 * An alert that nobody acknowledged within VIGIL_ALERT_ESCALATE_SECONDS is escalated by the
 * system (audited as `system`, pushed as `alert.status`), so a missed alert cannot sit unseen.
 * Every api process campaigns, only the leader checks (see Leadership); the escalating UPDATE is
 * atomic besides, so an alert escalates once even while a fenced old leader finishes a check.
 */
@Injectable()
export class AlertEscalator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AlertEscalator');
  private running = false;
  private withdraw?: () => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly events: AppEvents,
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly leadership: Leadership,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.alertEscalateSeconds <= 0) return;
    this.withdraw = this.leadership.every('escalator', CHECK_MS, () => this.check());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.withdraw?.();
  }

  /** Escalates what is overdue now; returns the escalated alert ids. */
  async check(now = new Date()): Promise<string[]> {
    if (this.running) return [];
    this.running = true;
    try {
      const afterSeconds = this.config.alertEscalateSeconds;
      const ids = await this.db.transaction(async (repos) => {
        const overdue = await repos.alerts.escalateOverdue(new Date(now.getTime() - afterSeconds * 1000), now);
        for (const id of overdue) {
          await repos.audit.append(actorOf(null), { action: 'alert.escalate', objectType: 'alert', objectId: id, details: { reason: 'unacknowledged', afterSeconds } });
        }
        return overdue;
      });
      for (const id of ids) this.events.emit('alert.status-changed', id, 'system', 'unacknowledged');
      if (ids.length > 0) this.logger.warn({ alerts: ids.length, afterSeconds }, 'unacknowledged alerts escalated');
      return ids;
    } catch (error) {
      this.logger.warn({ err: error }, 'escalation check failed; will retry');
      return [];
    } finally {
      this.running = false;
    }
  }
}
