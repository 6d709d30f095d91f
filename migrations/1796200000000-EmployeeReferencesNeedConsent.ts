import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An employee's face reference exists only while their consent is on file and not withdrawn
 * (issue #13, "consent bypass"), enforced by the database whoever writes the row:
 * - a current reference (removed_gallery_version IS NULL) cannot be added to, or put back for, an
 *   employee without consent; the person row is locked FOR SHARE meanwhile, so a concurrent
 *   withdrawal waits for the enrolment and then sees its reference;
 * - a person holding current references cannot be put on the employee list, nor lose or withdraw
 *   their consent there: erase the templates first (what withdrawal through the API does).
 * Both raise check_violation with constraint `employee_reference_needs_consent`, which the
 * repositories turn into a 409. The matcher's gallery query also joins on consent (in the
 * repository), and the gallery revision now moves on consent changes so it reloads.
 *
 * References that the bug already let through are taken out of the gallery in a new gallery
 * version (kept for the operator to erase, like any removed reference), audited by person id.
 */
export class EmployeeReferencesNeedConsent1796200000000 implements MigrationInterface {
  name = 'EmployeeReferencesNeedConsent1796200000000';

  async up(q: QueryRunner): Promise<void> {
    await this.retireUnconsented(q);

    await q.query(`
      CREATE FUNCTION vigil_reference_needs_consent() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        p record;
      BEGIN
        IF NEW.removed_gallery_version IS NOT NULL THEN
          RETURN NEW;
        END IF;
        SELECT list, consent_given_at, consent_withdrawn_at INTO p FROM person WHERE id = NEW.person_id FOR SHARE;
        IF FOUND AND p.list = 'employee' AND (p.consent_given_at IS NULL OR p.consent_withdrawn_at IS NOT NULL) THEN
          RAISE EXCEPTION 'person % is on the employee list without consent: no face reference may be stored for them', NEW.person_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'employee_reference_needs_consent',
                  HINT = 'Record their consent first (PATCH /api/persons/:id with "consent", or vigil enroll --consent).';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER face_reference_needs_consent BEFORE INSERT OR UPDATE OF person_id, removed_gallery_version ON face_reference
      FOR EACH ROW EXECUTE FUNCTION vigil_reference_needs_consent()`);

    await q.query(`
      CREATE FUNCTION vigil_employee_keeps_consent() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM face_reference WHERE person_id = NEW.id AND removed_gallery_version IS NULL) THEN
          RAISE EXCEPTION 'person % holds face references: they cannot be on the employee list without consent', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'employee_reference_needs_consent',
                  HINT = 'Send their consent record with the move, or erase their templates first.';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER person_employee_needs_consent AFTER UPDATE OF list, consent_given_at, consent_withdrawn_at ON person
      FOR EACH ROW WHEN (NEW.list = 'employee' AND (NEW.consent_given_at IS NULL OR NEW.consent_withdrawn_at IS NOT NULL))
      EXECUTE FUNCTION vigil_employee_keeps_consent()`);

    // The matcher's gallery now depends on consent too: a change to it must move the revision.
    await q.query(`DROP TRIGGER person_list_changed ON person`);
    await q.query(`CREATE TRIGGER person_list_changed AFTER UPDATE OF list, consent_given_at, consent_withdrawn_at OR DELETE ON person
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_gallery_changed()`);
  }

  async down(q: QueryRunner): Promise<void> {
    // References retired by up() stay out of the gallery: they were held without consent.
    await q.query(`DROP TRIGGER person_list_changed ON person`);
    await q.query(`CREATE TRIGGER person_list_changed AFTER UPDATE OF list OR DELETE ON person
      FOR EACH STATEMENT EXECUTE FUNCTION vigil_gallery_changed()`);
    await q.query(`DROP TRIGGER person_employee_needs_consent ON person`);
    await q.query(`DROP FUNCTION vigil_employee_keeps_consent()`);
    await q.query(`DROP TRIGGER face_reference_needs_consent ON face_reference`);
    await q.query(`DROP FUNCTION vigil_reference_needs_consent()`);
  }

  private async retireUnconsented(q: QueryRunner): Promise<void> {
    const people = (await q.query(`
      SELECT r.person_id AS "personId", count(*)::int AS n
        FROM face_reference r JOIN person p ON p.id = r.person_id
       WHERE r.removed_gallery_version IS NULL AND p.list = 'employee'
         AND (p.consent_given_at IS NULL OR p.consent_withdrawn_at IS NOT NULL)
       GROUP BY r.person_id ORDER BY r.person_id`)) as Array<{ personId: string; n: number }>;
    if (people.length === 0) return;
    const [{ v }] = (await q.query(`SELECT nextval('gallery_version_seq')::text AS v`)) as [{ v: string }];
    await q.query(
      `UPDATE face_reference SET removed_gallery_version = $1::bigint
        WHERE removed_gallery_version IS NULL AND person_id = ANY($2::uuid[])`,
      [v, people.map((p) => p.personId)],
    );
    for (const { personId, n } of people) {
      await q.query(
        `INSERT INTO audit_event (actor_name, actor_role, action, object_type, object_id, gallery_version, details)
         VALUES ('system', 'system', 'face.retire', 'person', $1, $2::bigint, $3::jsonb)`,
        [personId, v, JSON.stringify({ reason: 'employee_without_consent', references: n, by: 'migration' })],
      );
    }
  }
}
