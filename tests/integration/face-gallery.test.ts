import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { ConflictError, DESCRIPTOR_LENGTH, OUTLIER_REFERENCE_WEIGHT, UnprocessableError, type FaceQualityMeasures } from '@vigil/domain';
import { FaceGallery, MediaStore, reembedGallery, rejectionOf } from '@vigil/gallery';
import { Database, type Actor } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID, ENROLMENT_AUGMENTATIONS, type DetectedFace, type ImageFaceDetector } from '@vigil/vision';
import { DEMO_PEOPLE, seedDemoPeople } from '../../apps/server/src/ingest/demo-people';
import { createTestDatabase, TestDatabase } from '../support/test-database';

/**
 * FaceGallery against a real database with a scripted face engine: which descriptors come back is
 * chosen by the test, so outlier flags, weights, variants and gallery versions can be checked
 * exactly (the real engine is exercised by tests/e2e/enrolment.test.ts and cli-enroll.test.ts).
 */

const GOOD: FaceQualityMeasures = {
  boxSizePx: 200,
  interOcularPx: 80,
  sharpness: 0.1,
  meanLuminance: 120,
  clippedFraction: 0,
  yawDeg: 0,
  rollDeg: 0,
  detectorScore: 0.99,
};

function descriptor(...offsets: number[]): Float32Array {
  const v = new Float32Array(DESCRIPTOR_LENGTH).fill(0.05);
  offsets.forEach((o, i) => (v[i] = 0.05 + o));
  return v;
}

function face(d: Float32Array): DetectedFace {
  return { box: { x: 10, y: 10, width: 200, height: 200 }, score: 0.99, landmarks: [], descriptor: d, quality: { ...GOOD } };
}

/** Answers each detectImage call with the next scripted result (default: one face at `current`). */
class ScriptedEngine implements ImageFaceDetector {
  calls = 0;
  acquired = 0;
  current = descriptor();
  script: Array<DetectedFace[]> = [];
  /** Runs while the photo is being "analysed" (to change the database under the enrolment). */
  during?: () => Promise<void>;

  async detectImage(): Promise<DetectedFace[]> {
    this.calls++;
    const during = this.during;
    this.during = undefined;
    await during?.();
    return this.script.shift() ?? [face(this.current)];
  }
}

const ADMIN: Actor = { tokenId: null, name: 'test', role: 'admin' };
let testDb: TestDatabase;
let db: Database;
let engine: ScriptedEngine;
let gallery: FaceGallery;
let dataDir: string;
let photo: Buffer;

async function person(name: string, list: 'watchlist' | 'employee' = 'watchlist', consent = false): Promise<string> {
  const p = await db.repos.persons.create({ name, list, consent: consent ? { givenAt: new Date(), method: 'signed-form', reference: null } : null });
  return p.id;
}

async function enrol(personId: string, d: Float32Array, augment = false) {
  engine.current = d;
  return gallery.enrol({ by: ADMIN, personId, image: photo, source: 'upload', augment });
}

async function rows(personId: string) {
  return (await db.dataSource.query(
    `SELECT id, outlier, weight, augmented, augmentation, derived_from_id AS "derivedFromId", source, source_media_id AS "mediaId",
            added_gallery_version::text AS added, removed_gallery_version::text AS removed
       FROM face_reference WHERE person_id = $1 ORDER BY created_at, augmented, id`,
    [personId],
  )) as Array<{ id: string; outlier: boolean; weight: number; augmented: boolean; augmentation: string | null; derivedFromId: string | null; source: string; mediaId: string; added: string; removed: string | null }>;
}

describe(`the gallery (enrolment, augmentation, outliers) on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 120_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-gallery-'));
    engine = new ScriptedEngine();
    gallery = new FaceGallery({
      db,
      media: new MediaStore(dataDir),
      detector: () => {
        engine.acquired++;
        return Promise.resolve(engine);
      },
    });
    photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: { r: 90, g: 120, b: 150 } } }).jpeg().toBuffer();
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an employee without a consent record is refused before the face engine is even asked for', async () => {
    const id = await person('No Consent Nora', 'employee');
    const before = { calls: engine.calls, acquired: engine.acquired };
    const error = await gallery.enrol({ by: ADMIN, personId: id, image: photo, source: 'import' }).catch((e: unknown) => e);
    assert.ok(error instanceof ConflictError);
    assert.deepEqual(rejectionOf(error)?.reasons, ['no_consent']);
    assert.deepEqual({ calls: engine.calls, acquired: engine.acquired }, before);
    assert.equal((await rows(id)).length, 0);
  });

  it('refuses zero or several faces and a face below the enrolment gate, with reasons, storing nothing', async () => {
    const id = await person('Refused Rita');
    const cases: Array<[DetectedFace[], string[]]> = [
      [[], ['no_face']],
      [[face(descriptor()), face(descriptor(0.5))], ['multiple_faces']],
      [[{ ...face(descriptor()), quality: { ...GOOD, sharpness: 0.001, yawDeg: 50 } }], ['blurry', 'pose_yaw']],
    ];
    for (const [faces, reasons] of cases) {
      engine.script = [faces];
      const error = await gallery.enrol({ by: ADMIN, personId: id, image: photo, source: 'upload' }).catch((e: unknown) => e);
      assert.ok(error instanceof UnprocessableError);
      assert.deepEqual(rejectionOf(error)?.reasons, reasons);
    }
    assert.equal((await rows(id)).length, 0);
    assert.equal((await db.dataSource.query('SELECT count(*)::int AS n FROM media WHERE person_id = $1', [id]))[0].n, 0);
  });

  it('flags the odd reference of a person, lowers its weight for the matcher, and recomputes on every change', async () => {
    const id = await person('Outlier Olga');
    const a = await enrol(id, descriptor(0, 0));
    const b = await enrol(id, descriptor(0.2, 0));
    const c = await enrol(id, descriptor(0.1, 0.17));
    assert.deepEqual([a.outlier, b.outlier, c.outlier, c.outliers.length], [false, false, false, 0]);
    const x = await enrol(id, descriptor(0, 0, 0.8));
    assert.equal(x.outlier, true);
    assert.equal(x.weight, OUTLIER_REFERENCE_WEIGHT);
    assert.deepEqual(x.outliers, [x.id]);
    const stored = await rows(id);
    assert.deepEqual(stored.map((r) => [r.outlier, Number(r.weight)]), [[false, 1], [false, 1], [false, 1], [true, OUTLIER_REFERENCE_WEIGHT]]);
    const index = await db.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
    assert.equal(index.find((r) => r.id === x.id)!.weight, OUTLIER_REFERENCE_WEIGHT, 'the matcher loads the reduced weight');
    const audit = await db.repos.audit.forObject('person', id);
    assert.equal(audit.filter((e) => e.action === 'face.enrol').length, 4);
    assert.equal(audit.at(-1)!.details.outlier, true);

    // Fewer than three photos of the person's own: nothing can be called odd, the weight comes back.
    await gallery.remove(ADMIN, id, b.id);
    const left = await gallery.remove(ADMIN, id, a.id);
    assert.deepEqual(left.outliers, []);
    assert.deepEqual((await rows(id)).filter((r) => r.removed === null).map((r) => [r.id, r.outlier, Number(r.weight)]), [[c.id, false, 1], [x.id, false, 1]]);
  });

  it('stores augmented variants marked and linked to their original, and takes them out with it', async () => {
    const id = await person('Augmented Anna');
    engine.current = descriptor(0.01);
    // The second variant (rotate+8) shows no face this time: it is skipped, the others are kept.
    engine.script = [[face(descriptor(0.01))], [face(descriptor(0.02))], []];
    const stampBefore = await db.repos.faceReferences.galleryStamp();
    const res = await gallery.enrol({ by: ADMIN, personId: id, image: photo, source: 'import', augment: true });
    assert.deepEqual(res.variants.map((v) => v.augmentation), ENROLMENT_AUGMENTATIONS.filter((n) => n !== 'rotate+8'));
    assert.deepEqual(res.skippedVariants, [{ augmentation: 'rotate+8', reason: 'no_face' }]);
    const stored = await rows(id);
    assert.equal(stored.length, 1 + ENROLMENT_AUGMENTATIONS.length - 1);
    const [original, ...variants] = stored;
    assert.equal(original!.id, res.id);
    assert.deepEqual([original!.augmented, original!.augmentation, original!.derivedFromId], [false, null, null]);
    for (const v of variants) {
      assert.equal(v.augmented, true);
      assert.ok((ENROLMENT_AUGMENTATIONS as readonly string[]).includes(v.augmentation!));
      assert.equal(v.derivedFromId, res.id);
      assert.equal(v.source, 'import', 'same source as the original');
      assert.equal(v.mediaId, original!.mediaId, 'derived from the same stored photo');
      assert.equal(v.added, original!.added, 'added in the same gallery version');
    }
    const listed = await db.repos.faceReferences.listByPerson(id);
    assert.deepEqual(listed.map((r) => r.augmented), [false, true, true, true, true]);
    assert.notEqual(await db.repos.faceReferences.galleryStamp(), stampBefore);

    // Removing one variant takes out only that variant.
    const one = await gallery.remove(ADMIN, id, variants[0]!.id);
    assert.deepEqual(one.removed, [variants[0]!.id]);
    // Removing the original takes out the rest, in one gallery version.
    const stamp = await db.repos.faceReferences.galleryStamp();
    const all = await gallery.remove(ADMIN, id, res.id);
    assert.deepEqual(new Set(all.removed), new Set([res.id, ...variants.slice(1).map((v) => v.id)]));
    const after = await rows(id);
    assert.ok(after.every((r) => r.removed !== null));
    assert.deepEqual(new Set(after.filter((r) => r.id !== variants[0]!.id).map((r) => r.removed)), new Set([all.galleryVersion]));
    assert.notEqual(await db.repos.faceReferences.galleryStamp(), stamp, 'other processes see the change');
    assert.deepEqual(await db.repos.faceReferences.listByPerson(id), []);
    assert.equal((await gallery.remove(ADMIN, id, res.id).catch((e: unknown) => e)) instanceof Error, true, 'already removed → not found');
    const audit = (await db.repos.audit.forObject('person', id)).filter((e) => e.action === 'face.remove');
    assert.deepEqual(audit.at(-1)!.details.variants, all.removed.slice(1));

    // Erasing the original row for good (erasure) deletes its variants with it (FK cascade).
    const again = await gallery.enrol({ by: ADMIN, personId: id, image: photo, source: 'upload', augment: true });
    assert.equal(again.variants.length, ENROLMENT_AUGMENTATIONS.length);
    await db.dataSource.query('DELETE FROM face_reference WHERE id = $1', [again.id]);
    const remaining = await db.dataSource.query('SELECT count(*)::int AS n FROM face_reference WHERE derived_from_id = $1', [again.id]);
    assert.equal(remaining[0].n, 0);
  });

  it('keeps the photo file only when the reference committed', async () => {
    const id = await person('Filed Fred');
    const res = await enrol(id, descriptor(0.3));
    const [row] = (await db.dataSource.query('SELECT source_image_path AS p FROM face_reference WHERE id = $1', [res.id])) as Array<{ p: string }>;
    assert.ok(existsSync(path.join(dataDir, 'media', row!.p)));
    // The person is deleted while the photo is analysed: the transaction refuses, the file goes.
    const gone = await person('Gone Gary');
    engine.during = async () => void (await db.repos.persons.delete(gone));
    await assert.rejects(enrol(gone, descriptor(0.3)), /No person/);
    const folder = path.join(dataDir, 'media', 'persons', gone);
    assert.deepEqual(existsSync(folder) ? readdirSync(folder) : [], []);
  });

  it('seeds the demo people once: the employee with a demo consent record, each with one reference and an audit trail', async () => {
    const first = await seedDemoPeople(db, gallery);
    assert.equal(first.length, DEMO_PEOPLE.length);
    assert.deepEqual(await seedDemoPeople(db, gallery), [], 'a second run enrols nobody');
    for (const demo of DEMO_PEOPLE) {
      const p = (await db.repos.persons.findByName(demo.list, demo.name))!;
      assert.equal(p.referenceCount, 1);
      assert.equal(p.consentMethod, demo.list === 'employee' ? 'demo' : null);
      const audit = await db.repos.audit.forObject('person', p.id);
      assert.deepEqual(audit.map((e) => [e.action, e.actorName]), [['person.create', 'system'], ['face.enrol', 'system']]);
    }
  });
  it('moves the gallery to a new embedding model from the stored photos, keeping what it cannot re-embed', async () => {
    const id = await person('Upgraded Ursula');
    const enrolled = await enrol(id, descriptor(0.2), true);
    const lost = await person('Lost Photo Leo');
    const lostRef = await enrol(lost, descriptor(0.6));
    const lostMedia = (await rows(lost))[0]!.mediaId;
    const lostPath = ((await db.repos.media.findById(lostMedia)) as { path: string }).path;
    rmSync(path.join(dataDir, 'media', lostPath));
    const before = await db.repos.faceReferences.currentOfOtherModels('test-model-2');
    assert.ok(before.some((r) => r.id === enrolled.id) && before.some((r) => r.id === lostRef.id));

    engine.current = descriptor(0.25);
    const result = await reembedGallery({ db, media: new MediaStore(dataDir), detector: engine, modelId: 'test-model-2', by: ADMIN });
    assert.equal(result.found, before.length);
    assert.deepEqual(result.failed.filter((f) => f.personId === lost), [{ referenceId: lostRef.id, personId: lost, reason: 'photo_missing' }]);
    // Ursula: her photo and its variants, re-embedded under the new model in one gallery version; the old rows retired in it.
    const ursula = await rows(id);
    const current = ursula.filter((r) => r.removed === null);
    assert.equal(current.length, 1 + enrolled.variants.length);
    assert.ok(current.every((r) => r.added === result.galleryVersion));
    assert.ok(ursula.filter((r) => r.removed !== null).every((r) => r.removed === result.galleryVersion));
    const photoRow = current.find((r) => !r.augmented)!;
    assert.ok(current.filter((r) => r.augmented).every((r) => r.derivedFromId === photoRow.id), 'variants point at the new photo reference');
    assert.deepEqual((await db.repos.faceReferences.currentOfPerson(id, 'test-model-2')).map((r) => Array.from(r.embedding.slice(0, 1), (x) => Math.round(x * 100) / 100)), current.map(() => [0.3]));
    // Leo's photo is gone: his old reference stays current (nothing lost), under the old model.
    assert.deepEqual((await rows(lost)).map((r) => r.removed), [null]);
    const audit = await db.repos.audit.forObject('gallery', 'test-model-2');
    assert.equal(audit.length, 1);
    assert.equal((audit[0]!.details as { reembedded: number }).reembedded, result.reembedded);
    // Nothing left to move for Ursula; Leo is still reported.
    const again = await reembedGallery({ db, media: new MediaStore(dataDir), detector: engine, modelId: 'test-model-2', by: ADMIN });
    assert.equal(again.reembedded, 0);
    assert.ok(again.failed.some((f) => f.referenceId === lostRef.id));
  });
});
