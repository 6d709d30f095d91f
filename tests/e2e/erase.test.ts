import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { GalleryIndex } from '@vigil/domain';
import { decodeEmbedding } from '@vigil/persistence';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { AttendanceService } from '../../apps/server/src/attendance/attendance.service';
import { MediaStore } from '@vigil/gallery';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-erase-'));
let t: TestServer;

async function upload(personId: string, bytes: Buffer): Promise<void> {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  const res = await fetch(`${t.server.url}/api/persons/${personId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
  assert.equal(res.status, 201, await res.text());
}

const walterPhoto = () => sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer();
const emmaPhoto = () => sharp(samplePhotoPath(6)).extract({ left: 560, top: 200, width: 420, height: 560 }).jpeg({ quality: 95 }).toBuffer();

/** Every column that is a foreign key to person(id), read from the catalog (so new tables are covered). */
async function personForeignKeys(): Promise<Array<{ table: string; column: string }>> {
  return (await t.server.database.dataSource.query(`
    SELECT c.conrelid::regclass::text AS "table", a.attname AS "column"
      FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.confrelid = 'person'::regclass`)) as Array<{ table: string; column: string }>;
}

/** Rows anywhere that still name the person: FK columns, and any json/jsonb or text column holding the id. */
async function rowsNaming(personId: string): Promise<string[]> {
  const hits: string[] = [];
  for (const { table, column } of await personForeignKeys()) {
    const [row] = (await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}" = $1`, [personId])) as Array<{ n: number }>;
    if (row!.n > 0) hits.push(`${table}.${column}: ${row!.n}`);
  }
  const columns = (await t.server.database.dataSource.query(`
    SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('json', 'jsonb', 'text')
       AND table_name NOT IN ('person_tombstone', 'audit_event', 'schema_migration')`)) as Array<{ table: string; column: string }>;
  for (const { table, column } of columns) {
    const [row] = (await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM "${table}" WHERE "${column}"::text LIKE $1`, [`%${personId}%`])) as Array<{ n: number }>;
    if (row!.n > 0) hits.push(`${table}.${column} (text): ${row!.n}`);
  }
  return hits;
}

function filesUnder(relative: string): string[] {
  const root = path.join(dataDir, 'media', relative);
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe(`erasing a person (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 240_000 }, () => {
  let walterId: string;
  let emmaId: string;
  let cameraId: string;
  let walterEmbedding: Float32Array;

  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_DATA_DIR: dataDir });
    walterId = (await t.api('POST', '/api/persons', { body: { name: 'Erased Walter', list: 'watchlist' } })).body.id;
    emmaId = (await t.api('POST', '/api/persons', { body: { name: 'Kept Emma', list: 'employee', consent: { method: 'signed-form' } } })).body.id;
    cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/s', enabled: false } })).body.id;
    await upload(walterId, await walterPhoto());
    await upload(emmaId, await emmaPhoto());
    const [ref] = (await t.server.database.dataSource.query('SELECT embedding FROM face_reference WHERE person_id = $1', [walterId])) as Array<{ embedding: Buffer }>;
    walterEmbedding = decodeEmbedding(ref!.embedding);

    // What a camera leaves behind for each of them: an alert (with crop and frame), attendance.
    const files = new MediaStore(dataDir);
    const jpeg = await walterPhoto();
    await t.server.app.get(AlertsService).raise(
      { cameraId, personId: walterId, list: 'watchlist', score: 0.9, distance: 0.2 },
      {
        track: { startedAt: new Date(Date.now() - 2000), sightings: 3 },
        decidedAt: new Date(),
        box: { x: 10, y: 10, width: 100, height: 100 },
        quality: { sharpness: 1 },
        distance: 0.2,
        crop: { path: await files.writeCameraImage(cameraId, jpeg), bytes: jpeg.length },
        frame: { path: await files.writeCameraImage(cameraId, jpeg), bytes: jpeg.length },
      },
    );
    await t.server.app.get(AttendanceService).record({ personId: emmaId, at: new Date(), score: 0.8, source: 'camera', cameraId });
    // A reviewer once said "this is Walter" about someone else's crop.
    await t.server.database.dataSource.query(
      `WITH item AS (INSERT INTO review_item (kind, camera_id, candidate_person_id, score, local_date) VALUES ('unknown', $1, $2, 0.5, current_date) RETURNING id)
       INSERT INTO review_label (item_id, reviewer_name, label, actual_person_id) SELECT id, 'Rita', 'FN', $2 FROM item`,
      [cameraId, walterId],
    );
  });
  after(async () => {
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no row and no file about the person, only a tombstone; their photo matches no one any more', async () => {
    assert.ok((await rowsNaming(walterId)).length > 0, 'the set-up left rows about Walter');
    const cameraFilesBefore = filesUnder(`cameras/${cameraId}`).length;
    assert.ok(filesUnder(`persons/${walterId}`).length > 0 && cameraFilesBefore >= 2);

    const res = await t.api('POST', `/api/persons/${walterId}/erase`, { body: { reason: 'GDPR Art. 17 request #42' } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.personId, walterId);
    assert.ok(res.body.filesRemoved >= 3, `files removed: ${res.body.filesRemoved}`);

    assert.deepEqual(await rowsNaming(walterId), []);
    const [tomb] = (await t.server.database.dataSource.query('SELECT list, reason FROM person_tombstone WHERE person_id = $1', [walterId])) as Array<{ list: string; reason: string }>;
    assert.deepEqual(tomb, { list: 'watchlist', reason: 'GDPR Art. 17 request #42' });
    assert.deepEqual(filesUnder(`persons/${walterId}`), []);
    assert.equal(filesUnder(`cameras/${cameraId}`).length, cameraFilesBefore - 2, 'the alert crop and frame are gone');
    assert.equal((await t.api('GET', `/api/persons/${walterId}`)).status, 404);

    // A rebuilt index (what every matcher loads) holds nothing that matches the original photo.
    const index = new GalleryIndex();
    const refs = await t.server.database.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
    index.replaceAll(refs.map((r) => ({ referenceId: r.id, personId: r.personId, list: r.list, embedding: r.embedding, weight: r.weight })));
    const best = index.bestPerPerson(walterEmbedding, 5);
    assert.ok(best.every((b) => b.personId !== walterId));
    assert.ok(best.every((b) => b.distance > 0.45), `closest remaining distance ${best[0]?.distance}`);

    const audit = await t.server.database.repos.audit.forObject('person', walterId);
    assert.equal(audit.filter((a) => a.action === 'person.erase').length, 1);
    assert.ok(audit.every((a) => !JSON.stringify(a.details ?? {}).includes('Walter')), 'the audit trail holds no name');
  });

  it('others are untouched, a second erase is a 404, and unknown fields are refused before anything changes', async () => {
    assert.equal((await t.api('GET', `/api/persons/${emmaId}`)).body.referenceCount, 1);
    assert.equal((await t.api('POST', `/api/persons/${walterId}/erase`, { body: {} })).status, 404);
    const bad = await t.api('POST', `/api/persons/${emmaId}/erase`, { body: { everything: true } });
    assert.equal(bad.status, 400);
    assert.equal((await t.api('GET', `/api/persons/${emmaId}`)).status, 200);
    const kiosk = (await t.api('POST', '/api/tokens', { body: { name: 'Kiosk', role: 'kiosk' } })).body.token;
    assert.equal((await t.api('POST', `/api/persons/${emmaId}/erase`, { token: kiosk, body: {} })).status, 403);
  });

  it('withdrawing an employee\'s consent erases their templates and photos but keeps the person and attendance', async () => {
    assert.ok(filesUnder(`persons/${emmaId}`).length > 0);
    const res = await t.api('PATCH', `/api/persons/${emmaId}`, { body: { consent: null } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.referenceCount, 0);
    assert.equal(res.body.consent, null);
    assert.deepEqual(filesUnder(`persons/${emmaId}`), []);
    const [refs] = (await t.server.database.dataSource.query('SELECT count(*)::int AS n FROM face_reference WHERE person_id = $1', [emmaId])) as Array<{ n: number }>;
    assert.equal(refs!.n, 0);
    const [booked] = (await t.server.database.dataSource.query('SELECT count(*)::int AS n FROM attendance_event WHERE person_id = $1', [emmaId])) as Array<{ n: number }>;
    assert.equal(booked!.n, 1);
  });
});
