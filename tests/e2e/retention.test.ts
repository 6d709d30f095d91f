import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MediaStore } from '@vigil/gallery';
import type { MediaKind } from '@vigil/persistence';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { AttendanceService } from '../../apps/server/src/attendance/attendance.service';
import { RetentionService } from '../../apps/server/src/retention/retention.service';
import { ORPHAN_GRACE_MS } from '../../apps/server/src/retention/orphan-media-sweep';
import { ReviewSampler } from '../../apps/server/src/reviews/review-sampler.service';
import { mediaConsistency } from '../support/media-consistency';
import { startTestServer, TestServer } from '../support/test-server';

const NOTHING = { itemsDeleted: 0, itemsExpired: 0, mediaDeleted: 0, framesDeleted: 0, cropsDeleted: 0, attendanceDeleted: 0, orphanFilesDeleted: 0 };
const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-retention-'));
const DAY = 86_400_000;
let t: TestServer;
let retention: RetentionService;
let sampler: ReviewSampler;
let store: MediaStore;
let cameraId: string;

async function file(expiresAt: Date | null, kind: MediaKind = 'crop'): Promise<{ id: string; path: string }> {
  const bytes = Buffer.from(`${kind} ${Math.random()}`);
  const relative = await store.writeCameraImage(cameraId, bytes);
  const id = await t.server.database.repos.media.insert({ kind, path: relative, contentType: 'image/jpeg', bytes: bytes.length, cameraId, expiresAt });
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
    t = await startTestServer({ VIGIL_DATA_DIR: dataDir, VIGIL_TIMEZONE: 'UTC', VIGIL_RETENTION_ATTENDANCE_DAYS: '400' });
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
    const permanent = await file(null, 'reference'); // a reference photo: kept until erasure
    const cropOf = async (id: string) => (await itemRow(id))!.crop!;
    const unknownCrop = crops.get(await cropOf(unknown))!;
    const labelledCrop = crops.get(await cropOf(labelled))!;
    const unseenCrop = crops.get(await cropOf(unseen))!;

    const at = (days: number) => new Date(t0.getTime() + days * DAY + 2);
    assert.deepEqual(await retention.run({ now: at(9) }), NOTHING);
    assert.ok((await itemRow(unseen)) && onDisk(unseenCrop), 'the unseen sample is kept one day before its limit');

    assert.deepEqual(await retention.run({ now: at(11) }), { ...NOTHING, itemsDeleted: 1, mediaDeleted: 1, cropsDeleted: 1 });
    assert.equal(await itemRow(unseen), undefined, 'unseen sample gone one day after its 10-day limit');
    assert.equal(onDisk(unseenCrop), false);
    assert.ok((await itemRow(unknown)) && onDisk(unknownCrop), 'the 30-day unknown is still there');

    assert.deepEqual(await retention.run({ now: at(29) }), NOTHING);
    assert.ok(onDisk(unknownCrop) && onDisk(labelledCrop));

    assert.deepEqual(await retention.run({ now: at(31) }), { ...NOTHING, itemsDeleted: 1, itemsExpired: 1, mediaDeleted: 2, cropsDeleted: 2 });
    assert.equal(await itemRow(unknown), undefined, 'an unlabelled unknown is deleted');
    assert.deepEqual(await itemRow(labelled), { status: 'expired', crop: null }, 'a labelled one stays (its labels count) without its crop');
    assert.equal(onDisk(unknownCrop) || onDisk(labelledCrop), false, 'both crops are gone from disk');
    const [{ n }] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM review_label WHERE item_id = $1`, [labelled]);
    assert.equal(n, 1);
    assert.ok(onDisk(permanent.path), 'a reference photo is never touched');
    assert.deepEqual(await retention.run({ now: at(31) }), NOTHING, 'a re-run finds nothing more');
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
  it('evidence retention settings: defaults from the environment, the whole table, bounds refused, null resets', async () => {
    const initial = await t.api('GET', '/api/settings/retention');
    assert.equal(initial.status, 200);
    assert.deepEqual([initial.body.framesDays, initial.body.cropsDays, initial.body.attendanceDays], [30, 90, 400], 'VIGIL_RETENTION_ATTENDANCE_DAYS=400 is the default here');
    const rule = (body: any, kind: string) => body.rules.find((r: { kind: string }) => r.kind === kind);
    assert.deepEqual(rule(initial.body, 'attendance'), { ...rule(initial.body, 'attendance'), days: 400, source: 'environment', setting: 'attendanceDays', defaultDays: 400, min: 7 });
    assert.equal(rule(initial.body, 'frames').source, 'default');
    assert.deepEqual(rule(initial.body, 'references'), { ...rule(initial.body, 'references'), days: null, source: 'until erasure', setting: null });
    assert.equal(rule(initial.body, 'unknownCrops').days, 30, 'the review settings’ unknownRetentionDays is shown too');

    for (const body of [{ framesDays: 0 }, { cropsDays: 4000 }, { attendanceDays: 3 }, { framesDays: 2.5 }, { framesDays: '30' }, { referencesDays: 10 }]) {
      const r = await t.api('PATCH', '/api/settings/retention', { body: { cropsDays: 60, ...body } });
      assert.equal(r.status, 400, JSON.stringify(body));
    }
    assert.equal((await t.api('PATCH', '/api/settings/retention', { body: {} })).status, 400);
    assert.equal((await t.api('GET', '/api/settings/retention')).body.cropsDays, 90, 'a refused change changes nothing');
    const reviewer = (await t.api('POST', '/api/tokens', { body: { name: 'Not admin', role: 'reviewer' } })).body.token;
    assert.equal((await t.api('PATCH', '/api/settings/retention', { token: reviewer, body: { framesDays: 5 } })).status, 403);

    const set = await t.api('PATCH', '/api/settings/retention', { body: { framesDays: 14, attendanceDays: 365 } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual([set.body.framesDays, rule(set.body, 'frames').source, rule(set.body, 'frames').defaultDays], [14, 'setting', 30]);
    const reset = await t.api('PATCH', '/api/settings/retention', { body: { framesDays: null } });
    assert.deepEqual([reset.body.framesDays, rule(reset.body, 'frames').source, reset.body.attendanceDays], [30, 'default', 365]);
  });

  it('frames after 30 days, crops after 90, attendance after its days; fresh ones, reference photos and gallery crops stay; alerts keep their row', async () => {
    const db = t.server.database;
    assert.equal((await t.api('PATCH', '/api/settings/retention', { body: { framesDays: 30, cropsDays: 90, attendanceDays: 365 } })).status, 200);
    assert.equal((await t.api('PATCH', '/api/settings/review', { body: { attendanceSampleRate: 1, attendanceDailyCap: 100 } })).status, 200);
    const now = new Date();
    const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);
    const backdate = (ids: Array<string | null>, days: number) =>
      db.dataSource.query(`UPDATE media SET created_at = $2 WHERE id = ANY($1::uuid[])`, [ids, daysAgo(days)]);
    const watched = (await t.api('POST', '/api/persons', { body: { name: 'Watched Walt', list: 'watchlist' } })).body.id as string;
    const employee = (await t.api('POST', '/api/persons', { body: { name: 'Booked Bea', list: 'employee', consent: { method: 'signed-form' } } })).body.id as string;

    const track = (at: Date) => ({ track: { startedAt: at, sightings: 3 }, decidedAt: at, box: { x: 1, y: 1, width: 10, height: 10 }, quality: {}, distance: 0.3 });
    const evidence = async (at: Date) => {
      const image = async (what: string) => {
        const bytes = Buffer.from(`${what} ${Math.random()}`);
        return { path: await store.writeCameraImage(cameraId, bytes), bytes: bytes.length };
      };
      return { ...track(at), crop: await image('crop'), frame: await image('frame') };
    };
    const raise = async (ageDays: number) => {
      const at = daysAgo(ageDays);
      const alert = await t.server.app.get(AlertsService).raise({ cameraId, personId: watched, list: 'watchlist', score: 0.9, raisedAt: at }, await evidence(at));
      await backdate([alert.cropMediaId, alert.frameMediaId], ageDays);
      const paths = (await db.dataSource.query(`SELECT path FROM media WHERE id = ANY($1::uuid[]) ORDER BY kind`, [[alert.cropMediaId, alert.frameMediaId]])) as Array<{ path: string }>;
      return { id: alert.id, crop: alert.cropMediaId!, frame: alert.frameMediaId!, cropPath: paths[0]!.path, framePath: paths[1]!.path };
    };
    const fresh = await raise(10);
    const frameDue = await raise(45);
    const bothDue = await raise(100);
    const photo = await file(null, 'reference');
    await backdate([photo.id], 1000);
    // A reviewed crop added to the gallery is a reference photo now: kept past the crops' days.
    const inGallery = await file(null, 'crop');
    await backdate([inGallery.id], 1000);
    await db.transaction(async (repos) =>
      repos.galleryVersions.add({ personId: watched, embedding: new Float32Array(128).fill(0.1), modelId: 'retention-test', source: 'review', sourceMediaId: inGallery.id }, await repos.faceReferences.nextGalleryVersion()),
    );

    const attendance = t.server.app.get(AttendanceService);
    const book = async (ageDays: number) => {
      const at = daysAgo(ageDays);
      const { event } = await attendance.record({ personId: employee, at, score: 0.8, source: 'camera', cameraId, evidence: track(at) });
      const [row] = await db.dataSource.query(`SELECT track_id AS "trackId", sighting_id AS "sightingId" FROM attendance_event WHERE id = $1`, [event!.id]);
      const [item] = await db.dataSource.query(`SELECT id FROM review_item WHERE attendance_id = $1`, [event!.id]);
      return { id: event!.id, trackId: row.trackId as string, sightingId: row.sightingId as string, itemId: item.id as string };
    };
    const oldLabelled = await book(400);
    const oldUnlabelled = await book(380);
    const recent = await book(20);
    const reviewer = (await t.api('POST', '/api/tokens', { body: { name: 'Labeller', role: 'reviewer' } })).body.token;
    assert.equal((await t.api('POST', '/api/reviews', { token: reviewer, body: { itemId: oldLabelled.itemId, label: 'TP' } })).status, 201);

    const report = await retention.run({ now });
    assert.deepEqual(report, { ...NOTHING, mediaDeleted: 3, framesDeleted: 2, cropsDeleted: 1, attendanceDeleted: 2 });

    assert.deepEqual([fresh.cropPath, fresh.framePath, frameDue.cropPath].map(onDisk), [true, true, true], 'fresh frames and crops younger than 90 days stay');
    assert.deepEqual([frameDue.framePath, bothDue.cropPath, bothDue.framePath].map(onDisk), [false, false, false], 'expired files are gone');
    const [{ n: expiredRows }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM media WHERE id = ANY($1::uuid[])`, [[frameDue.frame, bothDue.crop, bothDue.frame]]);
    assert.equal(expiredRows, 0, 'with their rows');
    assert.ok(onDisk(photo.path) && onDisk(inGallery.path), 'a reference photo and a crop in the gallery are kept');

    const listed = (await t.api('GET', '/api/alerts?limit=50')).body as Array<{ id: string; cropUrl: string | null; frameUrl: string | null; evidenceExpired: boolean }>;
    const shown = (id: string) => {
      const a = listed.find((x) => x.id === id)!;
      return [a.cropUrl !== null, a.frameUrl !== null, a.evidenceExpired];
    };
    assert.deepEqual(shown(fresh.id), [true, true, false]);
    assert.deepEqual(shown(frameDue.id), [true, false, true], 'the frame is gone, the crop still shown');
    assert.deepEqual(shown(bothDue.id), [false, false, true], 'the alert stays, saying its evidence expired');
    assert.equal((await t.api('GET', `/api/media/${bothDue.crop}`)).status, 404);

    const [{ n: bookings }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM attendance_event WHERE id = ANY($1::uuid[])`, [[oldLabelled.id, oldUnlabelled.id, recent.id]]);
    assert.equal(bookings, 1, 'only the recent booking is left');
    const [{ n: evidenceLeft }] = await db.dataSource.query(
      `SELECT (SELECT count(*) FROM track WHERE id = ANY($1::uuid[])) + (SELECT count(*) FROM sighting WHERE id = ANY($2::uuid[]))::int AS n`,
      [[oldLabelled.trackId, oldUnlabelled.trackId], [oldLabelled.sightingId, oldUnlabelled.sightingId]],
    );
    assert.equal(Number(evidenceLeft), 0, 'their tracks and sightings went with them');
    assert.deepEqual(
      await db.dataSource.query(`SELECT id, attendance_id AS "attendanceId", status FROM review_item WHERE id = ANY($1::uuid[]) ORDER BY id`, [[oldLabelled.itemId, oldUnlabelled.itemId]]),
      [{ id: oldLabelled.itemId, attendanceId: null, status: 'labelled' }],
      'the labelled review item stays (its label still counts), the unlabelled one went with its booking',
    );
    assert.ok((await db.dataSource.query(`SELECT 1 FROM track WHERE id = $1`, [recent.trackId])).length === 1, 'the recent booking keeps its track');

    const [audit] = await db.dataSource.query(`SELECT actor_name AS actor, details FROM audit_event WHERE action = 'retention.run' ORDER BY id DESC LIMIT 1`);
    assert.equal(audit.actor, 'system');
    assert.deepEqual(audit.details, { ...report, days: { framesDays: 30, cropsDays: 90, attendanceDays: 365 } }, 'counts and days only');

    const [{ n: audits }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'retention.run'`);
    assert.deepEqual(await retention.run({ now }), NOTHING, 'a re-run finds nothing more');
    const [{ n: auditsAfter }] = await db.dataSource.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'retention.run'`);
    assert.equal(auditsAfter, audits, 'a run that removed nothing is not audited');
    assert.deepEqual(await orphans(), { rows: [], files: [] });
  });
});
