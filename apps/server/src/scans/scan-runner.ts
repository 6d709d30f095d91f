import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { VigilConfig } from '@vigil/config';
import type { ScanProgressView, ScanSummaryView } from '@vigil/contracts';
import { MediaStore } from '@vigil/gallery';
import { Database, type ScanJobRow } from '@vigil/persistence';
import { databasePeople, DEFAULT_ANALYSIS_FPS, type ScanMatcher, type ScanProgress, type ScanReport } from '@vigil/scan';
import { AppEvents } from '../core/app-events';
import { VIGIL_CONFIG } from '../core/core.module';
import { InferenceService } from '../inference/inference.service';
import { CameraLeases } from '../leases/camera-leases';
import { ActiveModelVersion } from '../model-versions/active-model-version.service';
import { GalleryMatcher } from '../recognition/gallery-matcher.service';
import { ScanCancelledError, scanUpload, writeScanReports } from './scan-core';
import { ScanStorage } from './scan-storage';

/** Looks for queued jobs this often (a NOTIFY wakes it at once; this is the safety net). */
const POLL_MS = 5_000;
/** Progress is written (and a cancel noticed) at most this often. */
const PROGRESS_MS = 1_000;
/** Running jobs of dead workers are looked for this often. */
const SWEEP_MS = 15_000;
export const INTERRUPTED = 'Interrupted by a server restart: the worker running this scan stopped before it finished. Upload the file again to scan it.';

/**
 * The worker side of scan jobs: one job at a time per worker process. Claims the oldest queued job
 * (the database arbitrates between workers), runs it through @vigil/scan on this process's
 * inference pool in the background lane (camera frames and kiosk images always go first), writes
 * progress to the row about once a second — which is also when it notices a cancel and aborts
 * ffmpeg — and ends the row with the report or the error. Jobs do not survive a restart: at boot a
 * worker fails the jobs a previous run of it left running, and every worker fails the running jobs
 * of workers that stopped or stopped beating (worker_node, the camera lease heartbeat).
 */
@Injectable()
export class ScanRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ScanRunner');
  private workerId: string | null = null;
  private timer?: NodeJS.Timeout;
  private unsubscribe?: () => void;
  private looking: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private lastSweep = 0;
  private current: { id: string; abort: AbortController; done: Promise<void> } | null = null;

  constructor(
    @Inject(VIGIL_CONFIG) private readonly config: VigilConfig,
    private readonly db: Database,
    private readonly events: AppEvents,
    private readonly inference: InferenceService,
    private readonly leases: CameraLeases,
    private readonly matcher: GalleryMatcher,
    private readonly active: ActiveModelVersion,
    private readonly media: MediaStore,
    private readonly storage: ScanStorage,
  ) {}

  onApplicationBootstrap(): void {
    this.unsubscribe = this.events.on('scan.changed', () => this.kick());
    this.timer = setInterval(() => this.kick(), POLL_MS);
    this.timer.unref();
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.looking;
    const current = this.current;
    if (current) {
      current.abort.abort();
      await current.done;
    }
  }

  /** Looks for work now (or once more after the look in progress). */
  kick(): void {
    if (this.stopping) return;
    if (this.looking) {
      this.again = true;
      return;
    }
    this.looking = this.look()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'scan job look-up failed; will retry'))
      .finally(() => {
        this.looking = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async look(): Promise<void> {
    const workerId = await this.registered();
    if (!workerId || this.stopping) return;
    if (Date.now() - this.lastSweep >= SWEEP_MS) await this.sweep(null);
    if (this.current) return;
    // Models still loading: leave the job queued (another worker may be ready); a failed start fails the job with the reason.
    if (this.inference.health().status === 'starting') return;
    const job = await this.db.repos.scanJobs.claimNext(workerId, this.config.worker.name);
    if (!job) return;
    this.logger.log({ jobId: job.id }, 'scan job started');
    this.events.emit('scan.changed');
    const abort = new AbortController();
    const done = this.run(job, workerId, abort).finally(() => {
      this.current = null;
      this.kick();
    });
    this.current = { id: job.id, abort, done };
  }

  /** This worker's id in worker_node (the camera leases register it); at the first, the boot sweep. */
  private async registered(): Promise<string | null> {
    if (this.workerId) return this.workerId;
    await this.leases.start();
    const id = this.leases.workerId;
    if (!id) return null;
    this.workerId = id;
    await this.sweep(this.config.worker.name);
    return id;
  }

  /** Fails running jobs whose worker is gone (at boot also those of this worker's previous run). */
  private async sweep(previousName: string | null): Promise<void> {
    this.lastSweep = Date.now();
    const failed = await this.db.repos.scanJobs.failOrphaned({ workerId: this.workerId!, previousName }, 3 * this.config.worker.leaseTtlSeconds, INTERRUPTED);
    if (failed.length === 0) return;
    this.logger.warn({ jobs: failed.map((j) => j.id) }, 'scan jobs interrupted by a stopped worker marked failed');
    this.events.emit('scan.changed');
    for (const job of failed) await this.storage.removeUpload(job.id).catch(() => undefined);
  }

  private async run(job: ScanJobRow, workerId: string, abort: AbortController): Promise<void> {
    const repo = () => this.db.repos.scanJobs;
    let latest: ScanProgressView | null = null;
    let written: ScanProgressView | null = null;
    let ticking = false;
    const ticker = setInterval(() => {
      if (ticking) return;
      ticking = true;
      const progress = latest;
      const write = progress && progress !== written ? repo().progress(job.id, workerId, { ...progress }) : repo().stillRunning(job.id, workerId);
      void write
        .then((running) => {
          if (progress) written = progress;
          if (!running) abort.abort(); // cancelled (or failed by a sweep): stop ffmpeg now
          else if (progress) this.events.emit('scan.changed');
        })
        .catch((error: unknown) => this.logger.warn({ err: error, jobId: job.id }, 'could not store scan progress'))
        .finally(() => {
          ticking = false;
        });
    }, PROGRESS_MS);
    try {
      const file = this.storage.resolve(job.mediaPath);
      if (!file) throw new Error('the upload is not where the job says');
      const pool = await this.inference.acquire();
      await this.matcher.settled();
      const report = await scanUpload({
        file,
        originalName: job.originalName,
        list: job.list,
        engine: { detect: (frame, options) => pool.detect(frame, options, { lane: 'background' }) },
        matcher: this.scanMatcher(),
        people: databasePeople(this.db, this.media),
        concurrency: this.config.inferenceWorkers,
        // The cameras' detector (VIGIL_DETECTOR): a recording is scanned as the live path would see it.
        detector: this.config.detector,
        signal: abort.signal,
        onProgress: (p) => {
          latest = progressView(p);
        },
      });
      clearInterval(ticker);
      await this.end(job, workerId, report, latest);
    } catch (error) {
      clearInterval(ticker);
      if (error instanceof ScanCancelledError || abort.signal.aborted) {
        // Cancelled by an admin (the row says so already), or this process is stopping.
        if (this.stopping) await repo().finish(job.id, workerId, { status: 'failed', error: INTERRUPTED }).catch(() => false);
        this.logger.log({ jobId: job.id }, this.stopping ? 'scan job interrupted by shutdown' : 'scan job cancelled');
      } else {
        const raw = error instanceof Error ? error.message : String(error);
        // The core words this for the CLI; the console's admin enrols in Admin → People.
        const message = /gallery is empty/.test(raw) ? 'nobody is enrolled yet: enrol the people to look for (Admin → People), then upload the file again' : raw;
        this.logger.warn({ err: error, jobId: job.id }, 'scan job failed');
        await repo().finish(job.id, workerId, { status: 'failed', error: `The scan failed: ${message}` }).catch(() => false);
      }
    } finally {
      this.events.emit('scan.changed');
      await this.storage.removeUpload(job.id).catch((error: unknown) => this.logger.warn({ err: error, jobId: job.id }, 'could not remove a scan upload'));
    }
  }

  /**
   * A report is only written for a file that was read whole: an unreadable or truncated upload
   * fails the job with the file's reason, never `finished` with what was read before the cut.
   */
  private async end(job: ScanJobRow, workerId: string, report: ScanReport, progress: ScanProgressView | null): Promise<void> {
    const repo = this.db.repos.scanJobs;
    const failed = report.files.filter((f) => f.status === 'failed');
    if (failed.length === report.files.length) {
      const error = failed.map((f) => f.error ?? 'the file could not be scanned').join('; ');
      await repo.finish(job.id, workerId, { status: 'failed', error, ...(progress ? { progress: { ...progress } } : {}) });
      this.logger.warn({ jobId: job.id }, 'scan job failed: the file could not be scanned whole');
      return;
    }
    const dir = this.storage.reportDir(job.id);
    await writeScanReports(report, dir);
    const ended = await repo.finish(job.id, workerId, { status: 'finished', summary: { ...summaryOf(report) }, reportDir: this.storage.relative(dir), ...(progress ? { progress: { ...progress } } : {}) });
    if (!ended) {
      // Cancelled at the last moment: no report for a cancelled job.
      await this.storage.removeJob(job.id).catch(() => undefined);
      return;
    }
    this.logger.log({ jobId: job.id, matches: report.matches.length }, 'scan job finished');
  }

  /** The live matcher (same index and thresholds the cameras use), as the scan core wants it. */
  private scanMatcher(): ScanMatcher {
    const { matcher, active } = this;
    return {
      get policy() {
        return matcher.policy;
      },
      get modelVersionId() {
        return matcher.modelVersionId;
      },
      get modelVersionLabel() {
        return active.label;
      },
      get size() {
        return matcher.size;
      },
      match: (descriptor) => matcher.match(descriptor),
    };
  }
}

function progressView(p: ScanProgress): ScanProgressView {
  return {
    filesDone: p.filesDone,
    filesTotal: p.filesTotal,
    framesDone: p.framesAnalysed,
    framesTotal: p.framesEstimated > 0 ? p.framesEstimated : null,
    secondsDone: Math.round((p.framesAnalysed / DEFAULT_ANALYSIS_FPS) * 10) / 10,
    matches: p.matches,
  };
}

function summaryOf(report: ScanReport): ScanSummaryView {
  return {
    files: report.files.length,
    filesFailed: report.files.filter((f) => f.status === 'failed').length,
    framesAnalysed: report.files.reduce((n, f) => n + f.framesAnalysed, 0),
    faces: report.files.reduce((n, f) => n + f.facesSeen, 0),
    matches: report.matches.length,
    people: new Set(report.matches.map((m) => m.personId)).size,
  };
}
