import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Enrolment augmentation stores variants pointing at their original (derived_from_id, ON DELETE
 * CASCADE). Without an index every deleted reference — and each of an erased person's — would
 * scan the whole table for its variants, and so would taking a photo out of the gallery.
 */
export class IndexDerivedFaceReferences1795822038703 implements MigrationInterface {
  name = 'IndexDerivedFaceReferences1795822038703';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX face_reference_derived_from_idx ON face_reference (derived_from_id) WHERE derived_from_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX face_reference_derived_from_idx`);
  }
}
