import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { actorOf } from '@vigil/auth';
import { retentionCutoffs, type EvidenceRetention, type RetentionCutoffs } from '@vigil/domain';
import { Database } from '@vigil/persistence';
import { MediaStore } from '@vigil/gallery';
import { OrphanMediaSweep } from './orphan-media-sweep';
import { RetentionSettingsService } from './retention-settings.service';
import { Leadership } from '../leadership/leadership';

const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
const BATCH = 100;

export interface RetentionReport {
  itemsDeleted: number;
  itemsExpired: number;
  /** Every image deleted (frames and crops by age, anything past its own expiry). */
  mediaDeleted: number;
  framesDeleted: number;
  cropsDeleted: number;
  /** Attendance bookings past their days (with their tracks and sightings). */
  attendanceDeleted: number;
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
 * labelled, so metrics keep their labels); media past expires_at, and frames and crops older than
 * their kind's days (file, then row; an alert that showed one keeps its row, marked
 * evidence-expired); attendance bookings older than their days, with their track and sightings
 * (labelled review items of a booking are kept). What is due is `retentionEnd` in @vigil/domain,
 * with the days of the retention settings read at the start of each run. A run that removed
 * anything is audited (`retention.run`, counts only).
 *
 * Crash safety: for each medium the file goes first and the row second, and the row is what the
 * next run finds. A run killed between the two leaves a row whose file is already gone; the re-run
 * removes the (missing) file again — a no-op — and deletes the row. The reverse order could leave a
 * file no row points to, which no run would ever find. Every step is idempotent, so a run may be
 * repeated or overlap another process's run. Runs in the api process that leads the `retention`
 * job (see Leadership): when it becomes the leader (at boot, or on taking over) and hourly after.
 *
 * Each pass ends with the orphan sweep: files older than its grace period that no row points to
 * (a crash between writing an image and committing its row, a removal that failed) are deleted.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Retention');
  private chain: Promise<unknown> = Promise.resolve();
  private readonly orphans: OrphanMediaSweep;
  private withdraw?: () => Promise<void>;

  constructor(
    private readonly db: Database,
    private readonly files: MediaStore,
    private readonly settings: RetentionSettingsService,
    private readonly leadership: Leadership,
  ) {
    this.orphans = new OrphanMediaSweep(db, files);
  }

  onApplicationBootstrap(): void {
    const scheduled = () => this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'retention run failed; the next run continues where it stopped'));
    this.withdraw = this.leadership.every('retention', RETENTION_INTERVAL_MS, scheduled, { atStart: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.withdraw?.();
    await this.chain;
  }

  /** One retention pass; passes never overlap within a process. */
  run(options: RetentionRunOptions = {}): Promise<RetentionReport> {
    const pass = this.chain.then(() => this.pass(options.now ?? new Date(), options.afterFileRemoved));
    this.chain = pass.catch(() => undefined);
    return pass;
  }

  private async pass(now: Date, afterFileRemoved?: RetentionRunOptions['afterFileRemoved']): Promise<RetentionReport> {
    const policy = await this.settings.policy();
    const cutoffs = retentionCutoffs(policy, now);
    const items = await this.db.transaction((repos) => repos.reviewItems.expire(now));
    const media = await this.deleteMedia(cutoffs, afterFileRemoved);
    const attendanceDeleted = await this.deleteAttendance(cutoffs.attendanceBy);
    const orphanFilesDeleted = await this.orphans.run(now);
    const report: RetentionReport = { itemsDeleted: items.deleted, itemsExpired: items.expired, ...media, attendanceDeleted, orphanFilesDeleted };
    if (report.itemsDeleted + report.itemsExpired + report.mediaDeleted + report.attendanceDeleted + report.orphanFilesDeleted > 0) {
      await this.audit(report, policy);
      this.logger.log(report, 'retention removed expired data');
    }
    return report;
  }

  private async deleteMedia(cutoffs: RetentionCutoffs, afterFileRemoved?: RetentionRunOptions['afterFileRemoved']): Promise<Pick<RetentionReport, 'mediaDeleted' | 'framesDeleted' | 'cropsDeleted'>> {
    const counts = { mediaDeleted: 0, framesDeleted: 0, cropsDeleted: 0 };
    for (;;) {
      const batch = await this.db.repos.media.due(cutoffs, BATCH);
      if (batch.length === 0) return counts;
      for (const media of batch) {
        await this.files.removeAndPrune(media.path); // the schema refuses paths outside the media root too
        await afterFileRemoved?.(media.id);
        if (!(await this.db.transaction((repos) => repos.media.deleteDue(media.id, cutoffs)))) continue;
        counts.mediaDeleted++;
        if (media.kind === 'frame') counts.framesDeleted++;
        if (media.kind === 'crop') counts.cropsDeleted++;
      }
    }
  }

  /** Bookings go in batches, each in one transaction with the review items and tracks they take along. */
  private async deleteAttendance(cutoff: Date): Promise<number> {
    let deleted = 0;
    for (;;) {
      const n = await this.db.transaction(async (repos) => {
        const due = await repos.attendance.dueForDeletion(cutoff, BATCH);
        if (due.length === 0) return 0;
        const ids = due.map((d) => d.id);
        await repos.reviewItems.keepLabelledOfAttendance(ids);
        const gone = await repos.attendance.deleteByIds(ids);
        await repos.tracks.deleteUnreferenced(due.map((d) => d.trackId).filter((t): t is string => t !== null));
        return gone;
      });
      if (n === 0) return deleted;
      deleted += n;
    }
  }

  /** Counts and the days applied only: never which person, camera or file. */
  private async audit(report: RetentionReport, policy: EvidenceRetention): Promise<void> {
    await this.db.repos.audit.append(actorOf(null), { action: 'retention.run', objectType: 'retention', details: { ...report, days: policy } });
  }
}
