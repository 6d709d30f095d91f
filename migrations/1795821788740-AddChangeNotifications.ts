import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change notices between processes that share one database (api and worker roles, the CLI).
 *
 * - `gallery_state.revision` is bumped by a statement trigger whenever references (or the list a
 *   person belongs to) change, in the writer's own transaction: a matcher that reads the same
 *   revision it loaded with knows its index is current, and reading it is one row, not a scan.
 * - Statement triggers send NOTIFY on commit (`vigil_gallery`, `vigil_alert`, `vigil_attendance`,
 *   `vigil_camera_event`), so listeners wake at once; their polls remain as the safety net for a
 *   notice lost while a listening connection was down. Payloads are empty: a notice only says
 *   "read the table", never what changed (nothing personal travels on the channel).
 */
export class AddChangeNotifications1795821788740 implements MigrationInterface {
  name = 'AddChangeNotifications1795821788740';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE gallery_state (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        revision bigint NOT NULL DEFAULT 0,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`INSERT INTO gallery_state DEFAULT VALUES`);

    await q.query(`
      CREATE FUNCTION vigil_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify(TG_ARGV[0], '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION vigil_gallery_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE gallery_state SET revision = revision + 1, changed_at = now();
        PERFORM pg_notify('vigil_gallery', '');
        RETURN NULL;
      END $$`);

    await q.query(`CREATE TRIGGER face_reference_changed AFTER INSERT OR UPDATE OR DELETE ON face_reference
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_gallery_changed()`);
    await q.query(`CREATE TRIGGER person_list_changed AFTER UPDATE OF list OR DELETE ON person
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_gallery_changed()`);
    await q.query(`CREATE TRIGGER alert_notify AFTER INSERT ON alert
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_notify('vigil_alert')`);
    await q.query(`CREATE TRIGGER attendance_notify AFTER INSERT ON attendance_event
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_notify('vigil_attendance')`);
    await q.query(`CREATE TRIGGER camera_event_notify AFTER INSERT ON camera_event
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_notify('vigil_camera_event')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER camera_event_notify ON camera_event`);
    await q.query(`DROP TRIGGER attendance_notify ON attendance_event`);
    await q.query(`DROP TRIGGER alert_notify ON alert`);
    await q.query(`DROP TRIGGER person_list_changed ON person`);
    await q.query(`DROP TRIGGER face_reference_changed ON face_reference`);
    await q.query(`DROP FUNCTION vigil_gallery_changed()`);
    await q.query(`DROP FUNCTION vigil_notify()`);
    await q.query(`DROP TABLE gallery_state`);
  }
}
