import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A model version may carry a learned head (docs/learned-head.md): a projection of the 128-d
 * descriptor applied to references and probes before matching. Stored on the version as JSON
 * (dims, base64 float32 weights, what training measured); the references stay stored raw, so
 * rolling back to a version without a head needs nothing re-embedded. A refresh run records what
 * it builds: a threshold/reference refresh or a head candidate.
 */
export class ModelHead1797400000000 implements MigrationInterface {
  name = 'ModelHead1797400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE model_version ADD COLUMN head jsonb`);
    await q.query(`ALTER TABLE refresh_run ADD COLUMN kind text NOT NULL DEFAULT 'refresh' CHECK (kind IN ('refresh', 'head'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE refresh_run DROP COLUMN kind`);
    await q.query(`ALTER TABLE model_version DROP COLUMN head`);
  }
}
