import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { OUTLIER_REFERENCE_WEIGHT } from '@vigil/domain';
import { ENROLMENT_AUGMENTATIONS } from '@vigil/vision';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

let t: TestServer;

async function upload(personId: string, bytes: Buffer, fields: Record<string, string> = {}) {
  const form = new FormData();
  form.append('image', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), 'photo.jpg');
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const res = await fetch(`${t.server.url}/api/persons/${personId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

async function person(name: string): Promise<string> {
  const res = await t.api('POST', '/api/persons', { body: { name, list: 'watchlist' } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** The left, frontal face of sample photo 1, cropped with the given margins (several photos of one person). */
function walter(crop = { left: 250, top: 180, width: 500, height: 560 }, gain = 1): Promise<Buffer> {
  return sharp(samplePhotoPath(1)).extract(crop).linear(gain, 0).jpeg({ quality: 95 }).toBuffer();
}

/** Somebody else: the sharpest face of sample photo 6. */
function emma(): Promise<Buffer> {
  return sharp(samplePhotoPath(6)).extract({ left: 1040, top: 150, width: 420, height: 560 }).jpeg({ quality: 95 }).toBuffer();
}

describe('enrolment augmentation and outlier flags over HTTP, with the real face engine', { timeout: 300_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1' });
  });
  after(async () => t?.stop());

  it('augment=true stores re-detected variants marked as augmented; deleting the photo deletes them', async () => {
    const id = await person('Augmented Walter');
    const res = await upload(id, await walter(), { augment: 'true' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.variants.length + res.body.skippedVariants.length, ENROLMENT_AUGMENTATIONS.length);
    assert.ok(res.body.variants.length >= ENROLMENT_AUGMENTATIONS.length - 1, JSON.stringify(res.body.skippedVariants));

    const faces = (await t.api('GET', `/api/persons/${id}/faces`)).body as any[];
    assert.equal(faces.length, 1 + res.body.variants.length);
    assert.deepEqual([faces[0].id, faces[0].augmented, faces[0].augmentation, faces[0].derivedFromId], [res.body.id, false, null, null]);
    for (const v of faces.slice(1)) {
      assert.equal(v.augmented, true);
      assert.ok((ENROLMENT_AUGMENTATIONS as readonly string[]).includes(v.augmentation), v.augmentation);
      assert.equal(v.derivedFromId, res.body.id);
      assert.equal(v.source, 'upload');
      assert.ok(!('embedding' in v));
    }
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, faces.length);

    assert.equal((await t.api('DELETE', `/api/persons/${id}/faces/${res.body.id}`)).status, 204);
    assert.deepEqual((await t.api('GET', `/api/persons/${id}/faces`)).body, []);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 0);
    const versions = (await t.server.database.dataSource.query('SELECT DISTINCT removed_gallery_version::text AS v FROM face_reference WHERE person_id = $1', [id])) as Array<{ v: string | null }>;
    assert.equal(versions.length, 1, 'the photo and its variants left the gallery in one version');
    assert.notEqual(versions[0]!.v, null);
  });

  it('is off by default and refuses a bad value', async () => {
    const id = await person('Plain Walter');
    const plain = await upload(id, await walter());
    assert.equal(plain.status, 201);
    assert.deepEqual(plain.body.variants, []);
    const off = await upload(id, await walter(undefined, 1.05), { augment: 'false' });
    assert.deepEqual(off.body.variants, []);
    const bad = await upload(id, await walter(), { augment: 'yes' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /augment: must be "true" or "false"/);
    const unknown = await upload(id, await walter(), { rotate: 'true' });
    assert.equal(unknown.status, 400);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).body.referenceCount, 2);
  });

  it('flags a photo of somebody else among three of the person, lowers its weight, and clears it when deleted', async () => {
    const id = await person('Odd One Out');
    for (const [crop, gain] of [[undefined, 1], [{ left: 300, top: 230, width: 420, height: 470 }, 1], [{ left: 200, top: 140, width: 600, height: 640 }, 0.9]] as const) {
      const res = await upload(id, await walter(crop, gain));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.outlier, false);
    }
    const odd = await upload(id, await emma());
    assert.equal(odd.status, 201, JSON.stringify(odd.body));
    assert.equal(odd.body.outlier, true);
    assert.equal(odd.body.weight, OUTLIER_REFERENCE_WEIGHT);
    assert.deepEqual(odd.body.outliers, [odd.body.id]);
    const faces = (await t.api('GET', `/api/persons/${id}/faces`)).body as any[];
    assert.deepEqual(faces.map((f) => [f.outlier, f.weight]), [[false, 1], [false, 1], [false, 1], [true, OUTLIER_REFERENCE_WEIGHT]]);

    assert.equal((await t.api('DELETE', `/api/persons/${id}/faces/${odd.body.id}`)).status, 204);
    assert.ok(((await t.api('GET', `/api/persons/${id}/faces`)).body as any[]).every((f) => !f.outlier && f.weight === 1));
  });
});
