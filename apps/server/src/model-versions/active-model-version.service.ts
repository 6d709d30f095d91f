import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { decodeHead, DEFAULT_MATCH_POLICY, type MatchPolicy, type ProjectionHead } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../core/app-events';
import { policyOf } from './version-policy';

/** A promotion or rollback made by another process reaches this one through this poll. */
const POLL_MS = 5_000;

/**
 * The active model version as this process serves it: its id (recorded on alerts and attendance)
 * and its thresholds (what the matcher decides with). Loaded before any bootstrap hook runs, so the
 * matcher never serves a face with the built-in defaults when another version is active; reloaded
 * at once after a promotion or rollback in this process, within POLL_MS for other processes. A
 * change also reloads the matcher's gallery (`gallery.changed`), because a version's thresholds
 * and references go live together.
 */
@Injectable()
export class ActiveModelVersion implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ModelVersion');
  private current: { id: number | null; label: string | null; policy: MatchPolicy; head: ProjectionHead | null } = { id: null, label: null, policy: DEFAULT_MATCH_POLICY, head: null };
  private timer?: NodeJS.Timeout;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly db: Database, private readonly events: AppEvents) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.timer = setInterval(() => void this.reload(), POLL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  get id(): number | null {
    return this.current.id;
  }

  get label(): string | null {
    return this.current.label;
  }

  get policy(): MatchPolicy {
    return this.current.policy;
  }

  /** The version's learned head (null: matching compares raw descriptors). The matcher applies it. */
  get head(): ProjectionHead | null {
    return this.current.head;
  }

  /** Re-reads the active version; serialised, and a failure keeps what is served. */
  reload(): Promise<void> {
    this.loading = this.loading.then(async () => {
      try {
        // Every 5 s in every process: the cheap stamp first, the whole row (head weights) only on a change.
        const stamp = await this.db.repos.modelVersions.activeStamp();
        if (!stamp) return;
        const changed = stamp.id !== this.current.id || JSON.stringify(policyOf(stamp.thresholds)) !== JSON.stringify(this.current.policy);
        if (!changed) return;
        const row = await this.db.repos.modelVersions.findById(stamp.id);
        if (!row) return;
        const policy = policyOf(row.thresholds);
        // A head that does not parse is not served with thresholds calibrated for it: the version is
        // refused (decodeHead throws) and the one served stays, as for bad thresholds.
        const head = row.head ? decodeHead(row.head) : null;
        const first = this.current.id === null;
        this.current = { id: row.id, label: row.label, policy, head };
        this.logger.log({ modelVersionId: row.id, label: row.label, thresholds: row.thresholds, head: head ? { key: head.key, dims: head.dims } : null }, `serving model version ${row.label}`);
        if (!first) this.events.emit('gallery.changed');
      } catch (error) {
        this.logger.warn({ err: error }, 'active model version reload failed; keeping the one served');
      }
    });
    return this.loading;
  }
}
