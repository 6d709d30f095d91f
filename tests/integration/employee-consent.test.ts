import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConflictError, DESCRIPTOR_LENGTH } from '@vigil/domain';
import { Database, encodeEmbedding, type PersonRow } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The consent rule where the data lives (issue #13, "consent bypass"): an employee's face
 * reference exists only while their consent is on file and not withdrawn, whoever writes the row,
 * and the query that feeds the matcher leaves out any that got past the rule anyway.
 */

const MIGRATION = 'EmployeeReferencesNeedConsent1796200000000';
const CONSENT = { givenAt: new Date(), method: 'signed-form', reference: null };

let testDb: TestDatabase;
let db: Database;

function insertReference(personId: string, database: Database = db): Promise<string> {
  return database.transaction(async (repos) =>
    repos.faceReferences.insert({
      personId,
      embedding: new Float32Array(DESCRIPTOR_LENGTH).fill(0.1),
      modelId: EMBEDDING_MODEL_ID,
      source: 'upload',
      galleryVersion: await repos.faceReferences.nextGalleryVersion(),
    }),
  );
}

/** The same row written by hand, past every repository. */
async function insertReferenceBySql(personId: string): Promise<void> {
  await db.dataSource.query(
    `INSERT INTO face_reference (person_id, embedding, model_id, source, added_gallery_version) VALUES ($1, $2, $3, 'upload', nextval('gallery_version_seq'))`,
    [personId, encodeEmbedding(new Float32Array(DESCRIPTOR_LENGTH).fill(0.2)), EMBEDDING_MODEL_ID],
  );
}

/** What the matcher loads: the people whose references are in its index. */
async function matcherGalleryPeople(): Promise<Set<string>> {
  return new Set((await db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID)).map((r) => r.personId));
}

async function referenceCount(personId: string): Promise<number> {
  const [row] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM face_reference WHERE person_id = $1`, [personId])) as Array<{ n: number }>;
  return row!.n;
}

async function migrationApplied(): Promise<boolean> {
  const rows = (await db.dataSource.query(`SELECT 1 FROM schema_migration WHERE name = $1`, [MIGRATION])) as unknown[];
  return rows.length > 0;
}

describe(`employee references need consent, in the database (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`, { timeout: 180_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
  });

  it('refuses a reference for an employee without consent, through the repository or by hand', async () => {
    const employee = await db.repos.persons.create({ name: 'Unconsented Employee', list: 'employee' });
    await assert.rejects(insertReference(employee.id), (error: unknown) => error instanceof ConflictError && /consent/.test(error.message));
    await assert.rejects(insertReferenceBySql(employee.id), /employee_reference_needs_consent|without consent/);
    assert.equal(await referenceCount(employee.id), 0);

    const consented = await db.repos.persons.create({ name: 'Consented Employee', list: 'employee', consent: CONSENT });
    await insertReference(consented.id);
    assert.ok((await matcherGalleryPeople()).has(consented.id));
  });

  it('refuses putting a person with references on the employee list, or clearing their consent, while the references stay', async () => {
    const person = await db.repos.persons.create({ name: 'Watchlist Mover', list: 'watchlist' });
    await insertReference(person.id);
    await assert.rejects(
      db.transaction((repos) => repos.persons.update(person.id, { list: 'employee' }, person)),
      (error: unknown) => error instanceof ConflictError && /consent/.test(error.message),
    );
    await assert.rejects(db.dataSource.query(`UPDATE person SET list = 'employee' WHERE id = $1`, [person.id]), /employee_reference_needs_consent|without consent/);
    const unchanged = (await db.repos.persons.findById(person.id))!;
    assert.deepEqual([unchanged.list, unchanged.referenceCount], ['watchlist', 1]);

    // With their consent in the same write the move is fine, and the references stay in use.
    const moved = await db.transaction((repos) => repos.persons.update(person.id, { list: 'employee', consent: CONSENT }, unchanged));
    assert.deepEqual([moved.list, moved.referenceCount], ['employee', 1]);
    assert.ok((await matcherGalleryPeople()).has(person.id));

    // Consent cannot be withdrawn (or cleared) under references that are still there.
    await assert.rejects(db.dataSource.query(`UPDATE person SET consent_withdrawn_at = now() WHERE id = $1`, [person.id]), /employee_reference_needs_consent|without consent/);
    await assert.rejects(
      db.dataSource.query(`UPDATE person SET consent_given_at = NULL, consent_method = NULL WHERE id = $1`, [person.id]),
      /employee_reference_needs_consent|without consent/,
    );
    // Erasing the templates first is what withdrawal does; then it is allowed.
    await db.transaction(async (repos) => {
      await repos.persons.eraseTemplates(person.id);
      await repos.persons.update(person.id, { consent: null }, moved);
    });
    assert.equal(await referenceCount(person.id), 0);
  });

  it("leaves an employee's reference out of the matcher's gallery once consent is gone, even when the row is forced past the rule", async () => {
    const employee = await db.repos.persons.create({ name: 'Forced Employee', list: 'employee', consent: CONSENT });
    const watched = await db.repos.persons.create({ name: 'Forced Watch', list: 'watchlist' });
    await insertReference(employee.id);
    await insertReference(watched.id);
    assert.ok((await matcherGalleryPeople()).has(employee.id));

    // A superuser switching triggers off for the session (as a restore tool may) gets past them.
    await db.transaction(async (repos) => {
      await repos.manager.query(`SET LOCAL session_replication_role = replica`);
      await repos.manager.query(`UPDATE person SET consent_withdrawn_at = now() WHERE id = $1`, [employee.id]);
      await repos.manager.query(`UPDATE person SET list = 'employee' WHERE id = $1`, [watched.id]);
    });
    assert.equal(await referenceCount(employee.id), 1, 'the forced state holds the reference');
    const people = await matcherGalleryPeople();
    assert.ok(!people.has(employee.id), 'withdrawn consent: not in the gallery');
    assert.ok(!people.has(watched.id), 'moved without consent: not in the gallery');
  });

  it('the migration takes references held without consent out of the gallery, and audits it by id', async () => {
    // Back to the schema before the rule (later migrations come off first), with the bad state the bug left.
    while (await migrationApplied()) await db.dataSource.undoLastMigration({ transaction: 'each' });
    const bypassed = await db.repos.persons.create({ name: 'Bypassed Walter', list: 'watchlist' });
    await insertReference(bypassed.id);
    await db.dataSource.query(`UPDATE person SET list = 'employee' WHERE id = $1`, [bypassed.id]);
    const fine = await db.repos.persons.create({ name: 'Fine Employee', list: 'employee', consent: CONSENT });
    await insertReference(fine.id);

    await db.runMigrations();
    assert.ok(await migrationApplied());
    const [row] = (await db.dataSource.query(`SELECT removed_gallery_version::text AS v FROM face_reference WHERE person_id = $1`, [bypassed.id])) as Array<{ v: string | null }>;
    assert.ok(row?.v, 'taken out of the gallery');
    const people = await matcherGalleryPeople();
    assert.ok(!people.has(bypassed.id));
    assert.ok(people.has(fine.id));
    const audit = await db.repos.audit.forObject('person', bypassed.id);
    assert.deepEqual(audit.map((a) => [a.action, a.galleryVersion]), [['face.retire', row!.v]]);
    assert.ok(!JSON.stringify(audit).includes('Walter'), 'ids only');
    const person: PersonRow = (await db.repos.persons.findById(bypassed.id))!;
    assert.equal(person.referenceCount, 0);
  });
});
