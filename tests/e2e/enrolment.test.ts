import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

let t: TestServer;

async function upload(personId: string, bytes: Buffer | null, filename = 'photo.jpg', type = 'image/jpeg', token = TEST_ADMIN_TOKEN) {
  const form = new FormData();
  if (bytes) form.append('image', new Blob([new Uint8Array(bytes)], { type }), filename);
  const res = await fetch(`${t.server.url}/api/persons/${personId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function person(name: string, list: 'watchlist' | 'employee', consent = false): Promise<string> {
  const res = await t.api('POST', '/api/persons', { body: { name, list, ...(consent ? { consent: { method: 'signed-form' } } : {}) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** The left, frontal face of sample photo 1 (box ≈ x 414–591, y 355–595), with a margin. */
function singleFacePhoto(): Promise<Buffer> {
  return sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer();
}

/** The same photo as a phone would send it: GPS position, device serial and owner in EXIF. */
function phonePhoto(): Promise<Buffer> {
  return sharp(samplePhotoPath(1))
    .extract({ left: 250, top: 180, width: 500, height: 560 })
    .withExif({
      IFD0: { Make: 'PhoneCo', Model: 'Serial-12345', Copyright: 'Watch Walter' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '38/1 42/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '9/1 8/1 0/1' },
    })
    .jpeg({ quality: 95 })
    .toBuffer();
}

const media = (id: string, token: string = TEST_ADMIN_TOKEN) => fetch(`${t.server.url}/api/media/${id}`, { headers: { authorization: `Bearer ${token}` } });

describe('enrolling reference photos (POST /api/persons/:id/faces)', { timeout: 240_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1' });
  });
  after(async () => t?.stop());

  it('stores one reference for a photo with exactly one good face, and never returns the embedding', async () => {
    const id = await person('Watch Walter', 'watchlist');
    const res = await upload(id, await phonePhoto());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.match(res.body.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(res.body.quality.reasons, []);
    assert.ok(res.body.quality.interOcularPx > 0);
    const list = await t.api('GET', `/api/persons/${id}/faces`);
    assert.equal(list.body.length, 1);
    assert.ok(!('embedding' in list.body[0]));
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 1);
    const [row] = (await t.server.database.dataSource.query('SELECT source_image_path AS p, octet_length(embedding) AS n FROM face_reference WHERE id = $1', [res.body.id])) as Array<{ p: string; n: number }>;
    assert.equal(Number(row!.n), 512);
    assert.ok(existsSync(path.join(t.config.dataDir, 'media', row!.p)), 'the reference photo is kept for audit and retraining');
    const audit = await t.server.database.repos.audit.forObject('person', id);
    assert.ok(audit.some((a) => a.action === 'face.enrol'));

    // The stored photo is served through /api/media with auth, without the phone's EXIF, and the view is audited.
    const [stored] = (await t.server.database.dataSource.query('SELECT source_media_id AS m FROM face_reference WHERE id = $1', [res.body.id])) as Array<{ m: string }>;
    const mediaId = stored!.m;
    const photo = await media(mediaId);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/jpeg');
    const served = Buffer.from(await photo.arrayBuffer());
    const meta = await sharp(served).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['jpeg', 500, 560]);
    assert.equal(meta.exif, undefined, 'no EXIF kept');
    for (const secret of ['Serial-12345', 'PhoneCo', 'Watch Walter']) assert.ok(!served.includes(Buffer.from(secret)), `${secret} is not stored`);
    assert.equal((await fetch(`${t.server.url}/api/media/${mediaId}`)).status, 401);
    assert.equal((await t.server.database.repos.audit.forObject('media', mediaId)).length, 1);
    // A reviewer reloading the same image again and again makes one audit row (per 10 minutes), not one per view.
    const reviewer = (await t.api('POST', '/api/tokens', { body: { name: 'Rita', role: 'reviewer' } })).body.token as string;
    const views = await Promise.all(Array.from({ length: 5 }, () => media(mediaId, reviewer)));
    assert.deepEqual(views.map((v) => v.status), [200, 200, 200, 200, 200]);
    for (let i = 0; i < 5; i++) assert.equal((await media(mediaId, reviewer)).status, 200);
    const viewers = (await t.server.database.repos.audit.forObject('media', mediaId)).filter((a) => a.action === 'media.view').map((a) => a.actorRole);
    assert.deepEqual(viewers.sort(), ['admin', 'reviewer'], 'one row per viewer');
    for (const probe of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e%2fdb', '00000000-0000-4000-8000-000000000000']) {
      const r = await fetch(`${t.server.url}/api/media/${probe}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
      assert.ok(r.status === 400 || r.status === 404, `${probe} → ${r.status}`);
    }

    assert.equal((await t.api('DELETE', `/api/persons/${id}/faces/${res.body.id}`)).status, 204);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 0);
    // The removed face's photo stays on disk for a rollback, but is no longer served.
    assert.ok(existsSync(path.join(t.config.dataDir, 'media', row!.p)), 'kept for rollback');
    const gone = await media(mediaId);
    assert.equal(gone.status, 404);
    assert.match(((await gone.json()) as { message: string }).message, /No image with id/);
  });

  it('refuses a group photo (422 multiple_faces) and a photo without a face (422 no_face), storing nothing', async () => {
    const id = await person('Group Gina', 'watchlist');
    const group = await upload(id, readFileSync(samplePhotoPath(2)));
    assert.equal(group.status, 422);
    assert.deepEqual(group.body.details.reasons, ['multiple_faces']);
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888' } }).jpeg().toBuffer();
    const none = await upload(id, blank);
    assert.equal(none.status, 422);
    assert.deepEqual(none.body.details.reasons, ['no_face']);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 0);
  });

  it('refuses a blurred photo with the quality reason', async () => {
    const id = await person('Blurry Bob', 'watchlist');
    const blurred = await sharp(await singleFacePhoto()).blur(3).jpeg().toBuffer();
    const res = await upload(id, blurred);
    assert.equal(res.status, 422, JSON.stringify(res.body));
    assert.ok(res.body.details.reasons.includes('blurry'), JSON.stringify(res.body.details));
    assert.match(res.body.message, /not good enough for enrolment: .*blurry/);
  });

  it('needs a consent record before any employee photo is processed', async () => {
    const id = await person('Employee Eve', 'employee');
    const res = await upload(id, await singleFacePhoto());
    assert.equal(res.status, 409);
    assert.match(res.body.message, /without a consent record/);
    const withConsent = await person('Employee Ezra', 'employee', true);
    assert.equal((await upload(withConsent, await singleFacePhoto())).status, 201);
  });

  it('refuses hostile or wrong input with a clear 4xx', async () => {
    const id = await person('Hostile Hal', 'watchlist');
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    assert.equal((await upload(id, svg, 'face.jpg')).status, 415);
    const truncated = (await singleFacePhoto()).subarray(0, 2000);
    assert.equal((await upload(id, truncated)).status, 422);
    assert.equal((await upload(id, Buffer.alloc(11 * 1024 * 1024, 1))).status, 413);
    const missing = await upload(id, null);
    assert.equal(missing.status, 400);
    assert.match(missing.body.message, /field "image"/);
    assert.equal((await upload('00000000-0000-4000-8000-000000000000', await singleFacePhoto())).status, 404);
    const kiosk = await t.api('POST', '/api/tokens', { body: { name: 'K', role: 'kiosk' } });
    assert.equal((await upload(id, await singleFacePhoto(), 'p.jpg', 'image/jpeg', kiosk.body.token)).status, 403);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 0);
  });
});
