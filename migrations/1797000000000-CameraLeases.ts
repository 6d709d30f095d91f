import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cameras shared by worker processes through leases (issue #14):
 * - worker_node: each worker process registers with a capacity and heartbeats;
 * - camera_lease: who runs each camera, until when; `epoch` grows by one at every change of holder
 *   (the row stays when a lease is released or expires, so an epoch is never reused);
 * - lease_epoch on the rows a worker writes for a camera, checked by a BEFORE INSERT trigger: a row
 *   carrying an epoch that is not the camera's current, unexpired one is refused with SQLSTATE
 *   VG001 (camera_lease_lost). The trigger reads the lease FOR SHARE, so a take-over (an UPDATE of
 *   that row) waits for in-flight writes, and writes after it see the new epoch. Rows without an
 *   epoch (kiosk, api-side writes, tests) are not checked;
 * - alert (person_id, raised_at): the database-side alert cooldown looks up recent alerts per person.
 */
export class CameraLeases1797000000000 implements MigrationInterface {
  name = 'CameraLeases1797000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE worker_node (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        capacity int NOT NULL CHECK (capacity >= 0),
        started_at timestamptz NOT NULL DEFAULT now(),
        heartbeat_at timestamptz NOT NULL,
        stopped_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE camera_lease (
        camera_id uuid PRIMARY KEY REFERENCES camera(id) ON DELETE CASCADE,
        worker_id uuid NOT NULL REFERENCES worker_node(id) ON DELETE CASCADE,
        epoch bigint NOT NULL,
        acquired_at timestamptz NOT NULL,
        renewed_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX camera_lease_worker_idx ON camera_lease (worker_id)`);
    await q.query(`
      CREATE FUNCTION camera_lease_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.lease_epoch IS NULL THEN
          RETURN NEW;
        END IF;
        PERFORM 1 FROM camera_lease
          WHERE camera_id = NEW.camera_id AND epoch = NEW.lease_epoch AND expires_at > clock_timestamp()
          FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'camera_lease_lost: camera % is no longer held under lease epoch %', NEW.camera_id, NEW.lease_epoch
            USING ERRCODE = 'VG001';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of GUARDED) {
      await q.query(`ALTER TABLE ${table} ADD COLUMN lease_epoch bigint`);
      await q.query(`CREATE TRIGGER ${table}_lease_guard BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION camera_lease_guard()`);
    }
    await q.query(`CREATE INDEX alert_person_raised_idx ON alert (person_id, raised_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX alert_person_raised_idx`);
    for (const table of GUARDED) {
      await q.query(`DROP TRIGGER ${table}_lease_guard ON ${table}`);
      await q.query(`ALTER TABLE ${table} DROP COLUMN lease_epoch`);
    }
    await q.query(`DROP FUNCTION camera_lease_guard()`);
    await q.query(`DROP TABLE camera_lease`);
    await q.query(`DROP TABLE worker_node`);
  }
}

/** The tables a worker writes for a camera (each has camera_id). */
const GUARDED = ['alert', 'attendance_event', 'sighting', 'camera_event', 'review_item'] as const;
