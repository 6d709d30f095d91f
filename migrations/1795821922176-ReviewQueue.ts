import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The review queue's additions to review_item:
 * - seq: the outbox offset of `review.item` pushes (writers take an advisory lock before inserting,
 *   so seq order is commit order, as for alerts);
 * - list: the list of the person the system named (or the nearest one), kept even if that person
 *   is erased, so metrics by list stay complete;
 * - local_date: the decision's day in VIGIL_TIMEZONE, which daily sample caps and metrics group by;
 * - at most one item per alert and per attendance event.
 */
export class ReviewQueue1795821922176 implements MigrationInterface {
  name = 'ReviewQueue1795821922176';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE review_item ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await q.query(`ALTER TABLE review_item ADD CONSTRAINT review_item_seq_uq UNIQUE (seq)`);
    await q.query(`ALTER TABLE review_item ADD COLUMN list text CHECK (list IN ('watchlist', 'employee'))`);
    await q.query(`ALTER TABLE review_item ADD COLUMN local_date date`);
    await q.query(`UPDATE review_item SET local_date = (created_at AT TIME ZONE 'UTC')::date`);
    await q.query(`ALTER TABLE review_item ALTER COLUMN local_date SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX review_item_alert_uq ON review_item (alert_id) WHERE alert_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX review_item_attendance_uq ON review_item (attendance_id) WHERE attendance_id IS NOT NULL`);
    await q.query(`CREATE INDEX review_item_sample_day_idx ON review_item (kind, camera_id, local_date)`);
    await q.query(`CREATE INDEX review_item_expires_idx ON review_item (expires_at) WHERE expires_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX review_item_expires_idx`);
    await q.query(`DROP INDEX review_item_sample_day_idx`);
    await q.query(`DROP INDEX review_item_attendance_uq`);
    await q.query(`DROP INDEX review_item_alert_uq`);
    await q.query(`ALTER TABLE review_item DROP COLUMN local_date`);
    await q.query(`ALTER TABLE review_item DROP COLUMN list`);
    await q.query(`ALTER TABLE review_item DROP CONSTRAINT review_item_seq_uq`);
    await q.query(`ALTER TABLE review_item DROP COLUMN seq`);
  }
}
