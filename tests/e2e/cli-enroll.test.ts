import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Principal } from '@vigil/auth';
import { MediaStore } from '@vigil/gallery';
import { acquireDataDirLock, Database } from '@vigil/persistence';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { PersonsService } from '../../apps/server/src/persons/persons.service';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const BIN = path.resolve(__dirname, '../../../bin/vigil.js');
const root = mkdtempSync(path.join(tmpdir(), 'vigil-enroll-'));
let testDb: TestDatabase;
let dataDir: string;

function vigil(args: string[], env: NodeJS.ProcessEnv = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, VIGIL_TF_BACKEND: 'wasm', VIGIL_DATA_DIR: dataDir };
  delete base.DATABASE_URL;
  if (testDb.config.kind === 'postgres') base.DATABASE_URL = testDb.config.url;
  const r = spawnSync(process.execPath, [BIN, 'enroll', ...args], { env: { ...base, ...env }, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Opens the database between CLI runs (the embedded one admits one process at a time). */
async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await Database.open(testDb.config);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function jpeg(photo: number, crop: { left: number; top: number; width: number; height: number }, file: string): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await sharp(samplePhotoPath(photo)).extract(crop).jpeg({ quality: 95 }).toFile(file);
}

const WALTER = { left: 250, top: 180, width: 500, height: 560 };
const EMMA = { left: 1040, top: 150, width: 420, height: 560 };
/** Two faces of sample photo 1 side by side. */
const TWO_FACES = { left: 350, top: 250, width: 750, height: 450 };

describe(`vigil enroll (bulk import) on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 600_000 }, () => {
  before(async () => {
    testDb = await createTestDatabase();
    dataDir = testDb.dataDir ?? mkdtempSync(path.join(tmpdir(), 'vigil-enroll-data-'));
    const watch = path.join(root, 'watch');
    await jpeg(1, WALTER, path.join(watch, 'Walter Watch', 'a-good.jpg'));
    await jpeg(1, TWO_FACES, path.join(watch, 'Walter Watch', 'b-two-faces.jpg'));
    mkdirSync(path.join(watch, 'Walter Watch'), { recursive: true });
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888' } }).png().toFile(path.join(watch, 'Walter Watch', 'c-blank.png'));
    writeFileSync(path.join(watch, 'Walter Watch', 'd-notes.txt'), 'met at the gate on Tuesday\n');
    writeFileSync(path.join(watch, 'Walter Watch', '.DS_Store'), 'ignored');
    await jpeg(6, EMMA, path.join(watch, 'Gina Good', 'portrait.jpg'));
    writeFileSync(path.join(watch, 'readme.txt'), 'one folder per person\n');

    const again = path.join(root, 'again', 'walter watch');
    mkdirSync(again, { recursive: true });
    await sharp(samplePhotoPath(1)).extract(WALTER).linear(1.1, 0).jpeg({ quality: 90 }).toFile(path.join(again, 'brighter.jpg'));
    await jpeg(6, EMMA, path.join(root, 'staff', 'Emma Employee', 'emma.jpg'));
  });
  after(async () => {
    await testDb?.cleanup();
    rmSync(root, { recursive: true, force: true });
    if (!testDb?.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports good photos, rejects the rest with the reason, and exits 1 with a complete report', async () => {
    const r = vigil(['--dir', path.join(root, 'watch'), '--list', 'watchlist', '--json']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout);
    const byFile = Object.fromEntries(report.images.map((i: any) => [i.file, i]));
    assert.deepEqual(Object.keys(byFile).sort(), [
      'Gina Good/portrait.jpg',
      'Walter Watch/a-good.jpg',
      'Walter Watch/b-two-faces.jpg',
      'Walter Watch/c-blank.png',
      'Walter Watch/d-notes.txt',
      'readme.txt',
    ]);
    assert.equal(byFile['Walter Watch/a-good.jpg'].status, 'accepted');
    assert.match(byFile['Walter Watch/a-good.jpg'].referenceId, /^[0-9a-f-]{36}$/);
    assert.equal(byFile['Gina Good/portrait.jpg'].status, 'accepted');
    assert.deepEqual(byFile['Walter Watch/b-two-faces.jpg'].reasons, ['multiple_faces']);
    assert.deepEqual(byFile['Walter Watch/c-blank.png'].reasons, ['no_face']);
    assert.deepEqual(byFile['Walter Watch/d-notes.txt'].reasons, ['not_an_image']);
    assert.deepEqual(byFile['readme.txt'].reasons, ['not_in_person_folder']);
    for (const rejected of report.images.filter((i: any) => i.status === 'rejected')) assert.ok(rejected.message.length > 10, rejected.file);
    assert.deepEqual(
      { images: report.summary.images, accepted: report.summary.accepted, rejected: report.summary.rejected, peopleCreated: report.summary.peopleCreated },
      { images: 6, accepted: 2, rejected: 4, peopleCreated: 2 },
    );
    assert.deepEqual(report.summary.reasons, { multiple_faces: 1, no_face: 1, not_an_image: 1, not_in_person_folder: 1 });

    await withDb(async (db) => {
      const walter = (await db.repos.persons.findByName('watchlist', 'Walter Watch'))!;
      assert.equal(walter.referenceCount, 1);
      const [ref] = await db.repos.faceReferences.listByPerson(walter.id);
      assert.equal(ref!.id, byFile['Walter Watch/a-good.jpg'].referenceId);
      assert.equal(ref!.source, 'import');
      const [row] = (await db.dataSource.query('SELECT source_image_path AS p FROM face_reference WHERE id = $1', [ref!.id])) as Array<{ p: string }>;
      const kept = await sharp(readFileSync(path.join(dataDir, 'media', row!.p))).metadata();
      const given = await sharp(readFileSync(path.join(root, 'watch', 'Walter Watch', 'a-good.jpg'))).metadata();
      assert.deepEqual([kept.format, kept.width, kept.height], [given.format, given.width, given.height], 'the photo is kept in the same media folder as the server\'s');
      const audit = await db.repos.audit.forObject('person', walter.id);
      assert.deepEqual(audit.map((a) => [a.action, a.actorName]), [['person.create', 'cli'], ['face.enrol', 'cli']]);
      assert.equal(audit[1]!.details.referenceId, ref!.id, 'the audit names the reference by id');
    });
  });

  it('reuses the person of that name (case-insensitively), prints a readable report, and stores variants with --augment', async () => {
    const r = vigil(['--dir', path.join(root, 'again'), '--list', 'watchlist', '--augment']);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /accepted {2}walter watch\/brighter\.jpg {2}reference [0-9a-f-]{36} {2}\(\+[45] augmented\)/);
    assert.match(r.stdout, /1 image\(s\): 1 accepted, 0 rejected\./);
    assert.match(r.stdout, /walter watch \(existing\): 1 accepted, 0 rejected/);
    assert.match(r.stdout, /0 person\(s\) created/);
    await withDb(async (db) => {
      const walter = (await db.repos.persons.findByName('watchlist', 'Walter Watch'))!;
      const refs = await db.repos.faceReferences.listByPerson(walter.id);
      assert.equal(refs.filter((x) => !x.augmented).length, 2);
      assert.ok(refs.filter((x) => x.augmented).length >= 4);
      assert.equal((await db.repos.persons.list({ search: 'walter', limit: 10, offset: 0 })).total, 1);
    });
  });

  it('an employee without consent: every photo rejected, nothing analysed, nobody created; --consent records it first', async () => {
    const staff = path.join(root, 'staff');
    const refused = vigil(['--dir', staff, '--list', 'employee', '--json']);
    assert.equal(refused.code, 1, refused.stderr);
    const report = JSON.parse(refused.stdout);
    assert.deepEqual(report.images.map((i: any) => [i.file, i.status, i.reasons]), [['Emma Employee/emma.jpg', 'rejected', ['no_consent']]]);
    assert.match(report.images[0].message, /without a consent record; nothing was analysed.*--consent/);
    assert.equal(report.summary.analysed, 0, 'the face engine never saw the photo');
    await withDb(async (db) => assert.equal(await db.repos.persons.findByName('employee', 'Emma Employee'), null));

    const accepted = vigil(['--dir', staff, '--list', 'employee', '--consent', 'signed-form', '--consent-reference', 'HR-2026-7', '--json']);
    assert.equal(accepted.code, 0, accepted.stderr + accepted.stdout);
    const ok = JSON.parse(accepted.stdout);
    assert.deepEqual(ok.people.map((p: any) => [p.name, p.created, p.consentRecorded, p.accepted]), [['Emma Employee', true, true, 1]]);
    assert.equal(ok.summary.analysed, 1);
    await withDb(async (db) => {
      const emma = (await db.repos.persons.findByName('employee', 'Emma Employee'))!;
      assert.deepEqual([emma.consentMethod, emma.consentReference, emma.referenceCount], ['signed-form', 'HR-2026-7', 1]);
    });
  });

  it('leaves no name or folder name in the audit trail, and none after the person is erased (ids only)', async () => {
    await withDb(async (db) => {
      const walter = (await db.repos.persons.findByName('watchlist', 'Walter Watch'))!;
      const admin: Principal = { tokenId: randomUUID(), sessionId: null, userId: null, role: 'admin', name: 'Test Admin' };
      await new PersonsService(db, new MediaStore(dataDir)).erase(admin, walter.id, 'GDPR Art. 17 request #7');
      assert.equal(await db.repos.persons.findById(walter.id), null);
      const rows = ((await db.dataSource.query(`SELECT row_to_json(a)::text AS row FROM audit_event a ORDER BY id`)) as Array<{ row: string }>).map((r) => r.row);
      assert.ok(rows.some((r) => r.includes('person.erase') && r.includes(walter.id)), 'the erasure is audited by id');
      for (const name of ['walter', 'gina good', 'emma employee']) {
        assert.deepEqual(rows.filter((r) => r.toLowerCase().includes(name)), [], `an audit row names ${name}`);
      }
    });
  });

  it('usage errors exit 2 before touching the database', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--dir', root], /--list must be watchlist or employee/],
      [['--dir', root, '--list', 'visitors'], /--list must be watchlist or employee/],
      [['--list', 'watchlist'], /--dir <folder> is required/],
      [['--dir', path.join(root, 'missing'), '--list', 'watchlist'], /is not a folder/],
      [['--dir', path.join(root, 'watch'), '--list', 'watchlist', '--consent', 'signed-form'], /employees only/],
      [['--dir', path.join(root, 'staff'), '--list', 'employee', '--consent-reference', 'HR-1'], /--consent-reference needs --consent/],
      [['--dir', path.join(root, 'watch'), '--list', 'watchlist', '--force'], /Unknown option '--force'/],
      [['--dir', path.join(root, 'watch', 'Gina Good'), '--list', 'watchlist'], /no person folders with files/],
    ];
    for (const [args, message] of cases) {
      const r = vigil(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /vigil enroll --dir <folder> --list/);
    }
  });

  it('exits 3 when a running server holds the embedded database, saying what to do', () => {
    const locked = mkdtempSync(path.join(tmpdir(), 'vigil-enroll-locked-'));
    const lock = acquireDataDirLock(locked); // where the server keeps it: the data folder, above db/
    try {
      const r = vigil(['--dir', path.join(root, 'watch'), '--list', 'watchlist'], { VIGIL_DATA_DIR: locked, DATABASE_URL: '' });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`in use by a running Vigil server \\(pid ${process.pid}\\)`));
      assert.match(r.stderr, /Stop the server/);
      assert.match(r.stderr, /DATABASE_URL/);
      assert.ok(!existsSync(path.join(locked, 'media')), 'nothing was written');
    } finally {
      lock.release();
      rmSync(locked, { recursive: true, force: true });
    }
  });
});
