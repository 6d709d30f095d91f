import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Scan jobs from the admin console (issue #15): an uploaded video or image scanned against a list
 * by a worker process. The row is the job's whole state, so any api process shows it and any worker
 * may run it:
 * - `queued` rows are claimed by one worker at a time (`FOR UPDATE SKIP LOCKED`), which then holds
 *   it as `running` under its worker_node id; a running job whose worker stopped (or stopped
 *   beating) is marked `failed` by the next worker that looks, so a crash never leaves a job running;
 * - at most one `running` job per worker (a partial unique index): one job at a time per worker;
 * - `revision` grows on every change, so each api process pushes a change (`scan.progress`) once;
 *   a row trigger NOTIFYs `vigil_scan_job` on commit (empty payload, as the other channels).
 * Jobs do not survive a restart: nothing resumes, the next worker marks them failed.
 */
export class ScanJobs1797200000000 implements MigrationInterface {
  name = 'ScanJobs1797200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scan_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'finished', 'failed', 'cancelled')),
        list text NOT NULL CHECK (list IN ('watchlist', 'employee', 'all')),
        original_name text NOT NULL,
        media_path text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        probe jsonb NOT NULL,
        progress jsonb,
        summary jsonb,
        report_dir text,
        error text,
        requested_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        requested_by_token_id uuid REFERENCES api_token (id) ON DELETE SET NULL,
        requested_by_name text NOT NULL,
        worker_id uuid REFERENCES worker_node (id) ON DELETE SET NULL,
        worker_name text,
        revision bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        finished_at timestamptz,
        CHECK ((status IN ('finished', 'failed', 'cancelled')) = (finished_at IS NOT NULL)),
        CHECK (status <> 'running' OR started_at IS NOT NULL),
        CHECK (status <> 'failed' OR error IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX scan_job_one_per_worker_uq ON scan_job (worker_id) WHERE status = 'running'`);
    await q.query(`CREATE INDEX scan_job_queued_idx ON scan_job (created_at) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX scan_job_created_idx ON scan_job (created_at DESC)`);
    await q.query(`CREATE INDEX scan_job_finished_idx ON scan_job (finished_at)`);
    // Per row, not per statement: a worker's claim that finds nothing is an UPDATE of no row, and a
    // notice for it would wake every worker to claim again (a loop). NOTIFY folds repeats in a transaction.
    await q.query(`CREATE TRIGGER scan_job_notify AFTER INSERT OR UPDATE ON scan_job
      FOR EACH ROW EXECUTE FUNCTION vigil_notify('vigil_scan_job')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER scan_job_notify ON scan_job`);
    await q.query(`DROP TABLE scan_job`);
  }
}
