import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';
import { OrphanMediaSweep } from './orphan-media-sweep';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const BATCH = 100;

export interface RetentionReport {
  itemsDeleted: number;
  itemsExpired: number;
  mediaDeleted: number;
  /** Files no row pointed to (see OrphanMediaSweep). */
  orphanFilesDeleted: number;
}

export interface RetentionRunOptions {
  /** The clock the run judges expiry by (tests pass their own). */
  now?: Date;
  /** Test hook: called after a file is removed and before its row is deleted (where a crash hurts most). */
  afterFileRemoved?: (mediaId: string) => void | Promise<void>;
}

/**
 * Deletes what has outlived its retention: review items past expires_at (kept as 'expired' when
 * labelled, so metrics keep their labels) and media past expires_at (file, then row).
 *
 * Crash safety: for each medium the file goes first and the row second, and the row is what the
 * next run finds. A run killed between the two leaves a row whose file is already gone; the re-run
 * removes the (missing) file again — a no-op — and deletes the row. The reverse order could leave a
 * file no row points to, which no run would ever find. Every step is idempotent, so a run may be
 * repeated or overlap another process's run. Runs hourly and at boot in the api role.
 *
 * Each pass ends with the orphan sweep: files older than its grace period that no row points to
 * (a crash between writing an image and committing its row, a removal that failed) are deleted.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private chain: Promise<unknown> = Promise.resolve();
  private timer?: NodeJS.Timeout;
  private readonly orphans: OrphanMediaSweep;

  constructor(private readonly db: Database, private readonly files: MediaStore) {
    this.orphans = new OrphanMediaSweep(db, files);
  }

  onApplicationBootstrap(): void {
    const scheduled = () => void this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'retention run failed; the next run continues where it stopped'));
    scheduled();
    this.timer = setInterval(scheduled, RETENTION_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.chain;
  }

  /** One retention pass; passes never overlap within a process. */
  run(options: RetentionRunOptions = {}): Promise<RetentionReport> {
    const pass = this.chain.then(() => this.pass(options.now ?? new Date(), options.afterFileRemoved));
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  private async pass(now: Date, afterFileRemoved?: RetentionRunOptions['afterFileRemoved']): Promise<RetentionReport> {
    const items = await this.db.transaction((repos) => repos.reviewItems.expire(now));
    let mediaDeleted = 0;
    for (;;) {
      const batch = await this.db.repos.media.expired(now, BATCH);
      if (batch.length === 0) break;
      for (const media of batch) {
        await this.files.removeAndPrune(media.path); // the schema refuses paths outside the media root too
        await afterFileRemoved?.(media.id);
        if (await this.db.repos.media.deleteExpired(media.id, now)) mediaDeleted++;
      }
    }
    const orphanFilesDeleted = await this.orphans.run(now);
    const report = { itemsDeleted: items.deleted, itemsExpired: items.expired, mediaDeleted, orphanFilesDeleted };
    if (report.itemsDeleted + report.itemsExpired + report.mediaDeleted + report.orphanFilesDeleted > 0) this.logger.log(report, 'retention removed expired data');
    return report;
  }
}
