import { EntityManager } from 'typeorm';
import { rowsOf } from './returned-rows';

export type ScanJobStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled';
export type ScanJobList = 'watchlist' | 'employee' | 'all';

export interface ScanJobRow {
  id: string;
  status: ScanJobStatus;
  list: ScanJobList;
  originalName: string;
  /** The upload, relative to the media folder (the job's own folder under scans/). */
  mediaPath: string;
  sizeBytes: string;
  /** What ffprobe read at upload (container, duration, streams). */
  probe: Record<string, unknown>;
  /** `{ filesDone, filesTotal, framesDone, framesTotal, … }` while running, the last one after. */
  progress: Record<string, unknown> | null;
  /** The report's summary (counts per file, matches) once finished. */
  summary: Record<string, unknown> | null;
  /** Where the report files are, relative to the media folder; null until finished. */
  reportDir: string | null;
  error: string | null;
  requestedByUserId: string | null;
  requestedByTokenId: string | null;
  requestedByName: string;
  workerId: string | null;
  workerName: string | null;
  revision: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewScanJob {
  id: string;
  list: ScanJobList;
  originalName: string;
  mediaPath: string;
  sizeBytes: number;
  probe: Record<string, unknown>;
  requestedByUserId: string | null;
  requestedByTokenId: string | null;
  requestedByName: string;
}

const COLUMNS = `id, status, list, original_name AS "originalName", media_path AS "mediaPath", size_bytes::text AS "sizeBytes", probe, progress, summary,
  report_dir AS "reportDir", error, requested_by_user_id AS "requestedByUserId", requested_by_token_id AS "requestedByTokenId",
  requested_by_name AS "requestedByName", worker_id AS "workerId", worker_name AS "workerName", revision::text AS "revision",
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;

const json = (value: Record<string, unknown> | null | undefined) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Scan jobs. Every change bumps `revision` (the realtime relay pushes each revision once); every
 * transition is conditional on the status it leaves, so a cancel racing a finish has one winner.
 */
export class ScanJobRepository {
  constructor(private readonly manager: EntityManager) {}

  async create(job: NewScanJob): Promise<ScanJobRow> {
    const rows = rowsOf<ScanJobRow>(
      await this.manager.query(
        `INSERT INTO scan_job (id, list, original_name, media_path, size_bytes, probe, requested_by_user_id, requested_by_token_id, requested_by_name)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9) RETURNING ${COLUMNS}`,
        [job.id, job.list, job.originalName, job.mediaPath, job.sizeBytes, JSON.stringify(job.probe), job.requestedByUserId, job.requestedByTokenId, job.requestedByName],
      ),
    );
    return rows[0]!;
  }

  async get(id: string): Promise<ScanJobRow | null> {
    const rows = rowsOf<ScanJobRow>(await this.manager.query(`SELECT ${COLUMNS} FROM scan_job WHERE id = $1`, [id]));
    return rows[0] ?? null;
  }

  /** Newest first. */
  async list(limit: number): Promise<ScanJobRow[]> {
    return rowsOf<ScanJobRow>(await this.manager.query(`SELECT ${COLUMNS} FROM scan_job ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]));
  }

  /**
   * The oldest queued job, taken by this worker (`running`, started now). SKIP LOCKED: workers
   * claiming at once each get a different job (or none), never wait on each other.
   */
  async claimNext(workerId: string, workerName: string): Promise<ScanJobRow | null> {
    const rows = rowsOf<ScanJobRow>(
      await this.manager.query(
        `UPDATE scan_job SET status = 'running', worker_id = $1, worker_name = $2, started_at = clock_timestamp(), revision = revision + 1
          WHERE id = (SELECT id FROM scan_job WHERE status = 'queued' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
            AND NOT EXISTS (SELECT 1 FROM scan_job WHERE worker_id = $1 AND status = 'running')
          RETURNING ${COLUMNS}`,
        [workerId, workerName],
      ),
    );
    return rows[0] ?? null;
  }

  /** Stores progress; false when the job is no longer running here (cancelled, or failed by a sweep). */
  async progress(id: string, workerId: string, progress: Record<string, unknown>): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE scan_job SET progress = $3::jsonb, revision = revision + 1 WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING id`,
        [id, workerId, JSON.stringify(progress)],
      ),
    );
    return rows.length > 0;
  }

  /** Whether the job is still running under this worker (a cancel check without a write). */
  async stillRunning(id: string, workerId: string): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(await this.manager.query(`SELECT id FROM scan_job WHERE id = $1 AND worker_id = $2 AND status = 'running'`, [id, workerId]));
    return rows.length > 0;
  }

  /** Ends a running job of this worker; false when it had already ended (cancelled meanwhile). */
  async finish(
    id: string,
    workerId: string,
    end: { status: 'finished'; summary: Record<string, unknown>; reportDir: string; progress?: Record<string, unknown> } | { status: 'failed'; error: string; progress?: Record<string, unknown> },
  ): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await this.manager.query(
        `UPDATE scan_job SET status = $3, finished_at = clock_timestamp(), summary = $4::jsonb, report_dir = $5, error = $6,
                progress = COALESCE($7::jsonb, progress), revision = revision + 1
          WHERE id = $1 AND worker_id = $2 AND status = 'running' RETURNING id`,
        [
          id,
          workerId,
          end.status,
          end.status === 'finished' ? json(end.summary) : null,
          end.status === 'finished' ? end.reportDir : null,
          end.status === 'failed' ? end.error : null,
          json(end.progress),
        ],
      ),
    );
    return rows.length > 0;
  }

  /** Cancels a queued or running job; null when there is no such job, the row otherwise (its status says whether it was still open). */
  async cancel(id: string): Promise<{ cancelled: boolean; row: ScanJobRow } | null> {
    const rows = rowsOf<ScanJobRow>(
      await this.manager.query(
        `UPDATE scan_job SET status = 'cancelled', finished_at = clock_timestamp(), revision = revision + 1
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING ${COLUMNS}`,
        [id],
      ),
    );
    if (rows[0]) return { cancelled: true, row: rows[0] };
    const row = await this.get(id);
    return row ? { cancelled: false, row } : null;
  }

  /**
   * Marks failed the running jobs whose worker is gone: one that stopped, one whose heartbeat is
   * older than `staleSeconds` (by the database's clock), and — when `previousName` is given (at a
   * worker's boot) — a previous run of that worker (same name, another worker id: it restarted).
   * Returns the jobs marked.
   */
  async failOrphaned(me: { workerId: string; previousName: string | null }, staleSeconds: number, error: string): Promise<Array<{ id: string; mediaPath: string }>> {
    return rowsOf<{ id: string; mediaPath: string }>(
      await this.manager.query(
        `UPDATE scan_job j SET status = 'failed', finished_at = clock_timestamp(), error = $4, revision = j.revision + 1
          WHERE j.status = 'running' AND j.worker_id IS DISTINCT FROM $1 AND (
                (j.worker_name = $2)
             OR j.worker_id IS NULL
             OR EXISTS (SELECT 1 FROM worker_node w WHERE w.id = j.worker_id
                          AND (w.stopped_at IS NOT NULL OR w.heartbeat_at < clock_timestamp() - make_interval(secs => $3))))
          RETURNING j.id, j.media_path AS "mediaPath"`,
        [me.workerId, me.previousName, staleSeconds, error],
      ),
    );
  }

  /**
   * Jobs a console may not have seen in their last state: open ones, and those that ended within
   * `recentSeconds`. The relay pushes those whose revision it has not pushed yet.
   */
  async openOrRecent(recentSeconds: number): Promise<ScanJobRow[]> {
    return rowsOf<ScanJobRow>(
      await this.manager.query(
        `SELECT ${COLUMNS} FROM scan_job
          WHERE status IN ('queued', 'running') OR finished_at > clock_timestamp() - make_interval(secs => $1)
          ORDER BY created_at`,
        [recentSeconds],
      ),
    );
  }
}
