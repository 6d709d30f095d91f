import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence retention (frames, crops, attendance bookings expire by age):
 * - alert.evidence_expired_at: when retention removed the alert's crop or frame, so the API can
 *   say "evidence expired" rather than show a missing image; the alert row itself stays;
 * - indexes for the age queries (media by kind and age, attendance by time);
 * - indexes on the columns that reference media, tracks and sightings: each deleted row makes
 *   PostgreSQL look up its referencing rows (ON DELETE SET NULL / CASCADE), and without an index
 *   every expired frame would scan the whole alert, sighting and review_item tables.
 */
export class EvidenceRetention1796500000000 implements MigrationInterface {
  name = 'EvidenceRetention1796500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert ADD COLUMN evidence_expired_at timestamptz`);
    await q.query(`CREATE INDEX media_age_idx ON media (kind, created_at) WHERE expires_at IS NULL`);
    await q.query(`CREATE INDEX attendance_event_at_idx ON attendance_event (at)`);
    for (const [name, table, column] of REFERENCING) {
      await q.query(`CREATE INDEX ${name} ON ${table} (${column}) WHERE ${column} IS NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [name] of REFERENCING) await q.query(`DROP INDEX ${name}`);
    await q.query(`DROP INDEX attendance_event_at_idx`);
    await q.query(`DROP INDEX media_age_idx`);
    await q.query(`ALTER TABLE alert DROP COLUMN evidence_expired_at`);
  }
}

const REFERENCING: ReadonlyArray<readonly [string, string, string]> = [
  ['alert_crop_media_idx', 'alert', 'crop_media_id'],
  ['alert_frame_media_idx', 'alert', 'frame_media_id'],
  ['alert_track_idx', 'alert', 'track_id'],
  ['alert_sighting_idx', 'alert', 'sighting_id'],
  ['sighting_crop_media_idx', 'sighting', 'crop_media_id'],
  ['sighting_frame_media_idx', 'sighting', 'frame_media_id'],
  ['review_item_crop_media_idx', 'review_item', 'crop_media_id'],
  ['review_item_sighting_idx', 'review_item', 'sighting_id'],
  ['face_reference_source_media_idx', 'face_reference', 'source_media_id'],
  ['attendance_event_track_idx', 'attendance_event', 'track_id'],
  ['attendance_event_sighting_idx', 'attendance_event', 'sighting_id'],
];
