import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MediaStore } from '@vigil/gallery';
import { RetentionService } from '../../apps/server/src/retention/retention.service';
import { ORPHAN_GRACE_MS } from '../../apps/server/src/retention/orphan-media-sweep';
import { ReviewSampler } from '../../apps/server/src/reviews/review-sampler.service';
import { mediaConsistency } from '../support/media-consistency';
import { startTestServer, TestServer } from '../support/test-server';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-retention-'));
const DAY = 86_400_000;
let t: TestServer;
let retention: RetentionService;
let sampler: ReviewSampler;
let store: MediaStore;
let cameraId: string;

async function file(expiresAt: Date | null): Promise<{ id: string; path: string }> {
  const bytes = Buffer.from(`crop ${Math.random()}`);
  const relative = await store.writeCameraImage(cameraId, bytes);
  const id = await t.server.database.repos.media.insert({ kind: 'crop', path: relative, contentType: 'image/jpeg', bytes: bytes.length, cameraId, expiresAt });
  return { id, path: relative };
}

const onDisk = (relative: string) => existsSync(path.join(store.root, relative));

async function itemRow(id: string): Promise<{ status: string; crop: string | null } | undefined> {
  const [row] = await t.server.database.dataSource.query(`SELECT status, crop_media_id AS crop FROM review_item WHERE id = $1`, [id]);
  return row;
}

/** Rows whose file is missing, and files no row points to. */
async function orphans(): Promise<{ rows: string[]; files: string[] }> {
  const { rowsWithoutFile, filesWithoutRow } = await mediaConsistency(t.server.database, store);
  return { rows: rowsWithoutFile, files: filesWithoutRow };
}

describe(`retention of review samples and media (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 180_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_DATA_DIR: dataDir, VIGIL_TIMEZONE: 'UTC' });
    retention = t.server.app.get(RetentionService);
    sampler = t.server.app.get(ReviewSampler);
    store = new MediaStore(t.config.dataDir);
    cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/s', enabled: false } })).body.id;
    await retention.run({ now: new Date(0) }); // waits for the boot run to finish
    const r = await t.api('PATCH', '/api/settings/review', { body: { unknownSampleRate: 1, unknownRetentionDays: 30, unseenSampleRate: 1, unseenRetentionDays: 10, unknownDailyCap: 100, unseenDailyCap: 100 } });
    assert.equal(r.status, 200);
  });
  after(async () => {
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deletes each data class exactly when its retention ends (limit ± 1 day) and keeps labelled items as expired', async () => {
    const t0 = new Date(Date.now() + 1000 * DAY); // far from the real clock, so the scheduled run cannot interfere
    const crops = new Map<string, string>();
    const track = (at: Date) => ({
      cameraId,
      at,
      bestCandidate: null,
      storeCrop: async (expiresAt: Date) => {
        const m = await file(expiresAt);
        crops.set(m.id, m.path);
        return m.id;
      },
    });
    const unknown = (await sampler.considerUnknown(track(t0)))!;
    const labelled = (await sampler.considerUnknown(track(new Date(t0.getTime() + 1))))!;
    const unseen = (await sampler.considerUnseen(track(new Date(t0.getTime() + 2))))!;
    const reviewer = (await t.api('POST', '/api/tokens', { body: { name: 'R', role: 'reviewer' } })).body.token;
    assert.equal((await t.api('POST', '/api/reviews', { token: reviewer, body: { itemId: labelled, label: 'TN', notEnrolled: true } })).status, 201);
    const permanent = await file(null); // e.g. an alert crop: no expiry
    const cropOf = async (id: string) => (await itemRow(id))!.crop!;
    const unknownCrop = crops.get(await cropOf(unknown))!;
    const labelledCrop = crops.get(await cropOf(labelled))!;
    const unseenCrop = crops.get(await cropOf(unseen))!;

    const at = (days: number) => new Date(t0.getTime() + days * DAY + 2);
    assert.deepEqual(await retention.run({ now: at(9) }), { itemsDeleted: 0, itemsExpired: 0, mediaDeleted: 0, orphanFilesDeleted: 0 });
    assert.ok((await itemRow(unseen)) && onDisk(unseenCrop), 'the unseen sample is kept one day before its limit');

    assert.deepEqual(await retention.run({ now: at(11) }), { itemsDeleted: 1, itemsExpired: 0, mediaDeleted: 1, orphanFilesDeleted: 0 });
    assert.equal(await itemRow(unseen), undefined, 'unseen sample gone one day after its 10-day limit');
    assert.equal(onDisk(unseenCrop), false);
    assert.ok((await itemRow(unknown)) && onDisk(unknownCrop), 'the 30-day unknown is still there');

    assert.deepEqual(await retention.run({ now: at(29) }), { itemsDeleted: 0, itemsExpired: 0, mediaDeleted: 0, orphanFilesDeleted: 0 });
    assert.ok(onDisk(unknownCrop) && onDisk(labelledCrop));

    assert.deepEqual(await retention.run({ now: at(31) }), { itemsDeleted: 1, itemsExpired: 1, mediaDeleted: 2, orphanFilesDeleted: 0 });
    assert.equal(await itemRow(unknown), undefined, 'an unlabelled unknown is deleted');
    assert.deepEqual(await itemRow(labelled), { status: 'expired', crop: null }, 'a labelled one stays (its labels count) without its crop');
    assert.equal(onDisk(unknownCrop) || onDisk(labelledCrop), false, 'both crops are gone from disk');
    const [{ n }] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM review_label WHERE item_id = $1`, [labelled]);
    assert.equal(n, 1);
    assert.ok(onDisk(permanent.path), 'media without expiry is never touched');
    assert.deepEqual(await retention.run({ now: at(31) }), { itemsDeleted: 0, itemsExpired: 0, mediaDeleted: 0, orphanFilesDeleted: 0 }, 'a re-run finds nothing more');
    assert.deepEqual(await orphans(), { rows: [], files: [] });
  });

  it('a run killed midway leaves no orphans once re-run', async () => {
    const now = new Date(Date.now() + 2000 * DAY);
    const expired = await Promise.all(Array.from({ length: 25 }, () => file(new Date(now.getTime() - DAY))));
    const kept = await Promise.all(Array.from({ length: 5 }, () => file(new Date(now.getTime() + DAY))));
    let removed = 0;
    await assert.rejects(
      retention.run({
        now,
        afterFileRemoved: () => {
          if (++removed === 8) throw new Error('killed between removing a file and deleting its row');
        },
      }),
      /killed/,
    );
    const remaining = (await t.server.database.dataSource.query(`SELECT id FROM media WHERE expires_at <= $1`, [now])) as Array<{ id: string }>;
    assert.equal(remaining.length, 25 - 7, 'seven rows deleted before the kill, the eighth row still there');
    assert.equal(expired.filter((m) => onDisk(m.path)).length, 25 - 8, 'eight files removed');
    assert.deepEqual((await orphans()).files, [], 'never a file without its row');

    const report = await retention.run({ now });
    assert.equal(report.mediaDeleted, 18);
    assert.equal(expired.filter((m) => onDisk(m.path)).length, 0);
    assert.ok(kept.every((m) => onDisk(m.path)));
    const [{ n }] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM media WHERE expires_at <= $1`, [now]);
    assert.equal(n, 0);
    assert.deepEqual(await orphans(), { rows: [], files: [] }, '0 DB and 0 file orphans after the re-run');
  });

  it('deletes files no row points to once their grace period is over, and never a recorded one', async () => {
    const now = new Date();
    const age = (relative: string, ms: number) => {
      const when = new Date(now.getTime() - ms);
      utimesSync(path.join(store.root, relative), when, when);
      return relative;
    };
    const old = ORPHAN_GRACE_MS + 60_000;
    // A crash between writing an alert's crop and committing its row:
    const crashedCrop = age(await store.writeCameraImage(cameraId, Buffer.from('crop of an alert that never committed')), old);
    // An erasure whose file removal failed after the rows were gone:
    const erasedPerson = randomUUID();
    const erasedPhoto = age(await store.writePersonImage(erasedPerson, Buffer.from('photo of an erased person'), 'jpg'), old);
    // A writer killed between writing its temporary file and renaming it:
    const halfWritten = `${crashedCrop}.4242.tmp`;
    writeFileSync(path.join(store.root, halfWritten), 'partial');
    age(halfWritten, old);
    // Recorded files, however old, stay; so does an unrecorded file still within its grace period
    // (its transaction may be in flight).
    const recorded = await file(null);
    age(recorded.path, 400 * DAY);
    const inFlight = await store.writeCameraImage(cameraId, Buffer.from('crop whose row is about to commit'));

    const report = await retention.run({ now });
    assert.equal(report.orphanFilesDeleted, 3);
    assert.deepEqual([crashedCrop, erasedPhoto, halfWritten].filter(onDisk), [], 'the three orphans are gone');
    assert.equal(existsSync(path.join(store.root, 'persons', erasedPerson)), false, "the erased person's folder is gone too");
    assert.ok(onDisk(recorded.path), 'a file with its row is never touched');
    assert.ok(onDisk(inFlight), 'an unrecorded file younger than the grace period is kept');

    const later = await retention.run({ now: new Date(now.getTime() + ORPHAN_GRACE_MS + 60_000) });
    assert.equal(later.orphanFilesDeleted, 1);
    assert.equal(onDisk(inFlight), false, 'deleted once its grace period is over');
    assert.deepEqual(await orphans(), { rows: [], files: [] });
  });
});
