import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model refresh run, stored (it was one process's memory): any api process shows the latest
 * run, and only one can be running across all of them (a partial unique index on the state).
 * A running row carries its process (owner_node) and a heartbeat; a run whose heartbeat stopped
 * (its process died) is marked `interrupted` by the next start or status read.
 */
export class RefreshRuns1797100000000 implements MigrationInterface {
  name = 'RefreshRuns1797100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE refresh_run (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        state text NOT NULL CHECK (state IN ('running', 'succeeded', 'failed', 'interrupted')),
        trigger text NOT NULL CHECK (trigger IN ('admin', 'schedule')),
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        started_by_user_id uuid REFERENCES app_user (id) ON DELETE SET NULL,
        started_by_token_id uuid REFERENCES api_token (id) ON DELETE SET NULL,
        started_by_name text,
        progress jsonb,
        outcome jsonb,
        error text,
        owner_node text NOT NULL,
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((state = 'running') = (finished_at IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_run_one_running_uq ON refresh_run ((true)) WHERE state = 'running'`);
    await q.query(`CREATE INDEX refresh_run_started_idx ON refresh_run (started_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE refresh_run`);
  }
}
