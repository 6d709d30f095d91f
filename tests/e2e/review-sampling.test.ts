import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decideSample } from '@vigil/domain';
import { AttendanceService } from '../../apps/server/src/attendance/attendance.service';
import { ReviewSampler, UnknownTrack } from '../../apps/server/src/reviews/review-sampler.service';
import { sampleKey } from '../../apps/server/src/reviews/review-sampling';
import { ReviewSettingsService } from '../../apps/server/src/reviews/review-settings.service';
import { startTestServer, TestServer } from '../support/test-server';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-sampling-'));
const DAY = 86_400_000;
const SEED = 42;
let t: TestServer;
let sampler: ReviewSampler;
let attendance: AttendanceService;
let watchX: string;
let adminTokenId: string;
const cams: Record<string, string> = {};
const employees: Record<string, string> = {};

async function camera(name: string): Promise<string> {
  return (await t.api('POST', '/api/cameras', { body: { name, url: 'rtsp://10.0.0.1/s', enabled: false } })).body.id;
}

// Settings go through the service, not HTTP: after a long in-process loop on the embedded
// database a pooled keep-alive connection may already be closed by the server (ECONNRESET).
async function settings(body: Record<string, number>): Promise<void> {
  await t.server.app.get(ReviewSettingsService).update({ tokenId: adminTokenId, sessionId: null, userId: null, role: 'admin', name: 'test admin' }, body);
}

/** A crop store that records its calls and inserts a media row (no file needed here). */
function cropStore(cameraId: string) {
  const calls: Date[] = [];
  let n = 0;
  return {
    calls,
    store: async (expiresAt: Date | null = null) => {
      calls.push(expiresAt as Date);
      return t.server.database.repos.media.insert({ kind: 'crop', path: `cameras/${cameraId}/test/${n++}.jpg`, contentType: 'image/jpeg', bytes: 1, cameraId, expiresAt });
    },
  };
}

async function items(kind: string, cameraId: string): Promise<Array<{ id: string; attendanceId: string | null; createdAt: Date; expiresAt: Date | null; crop: string | null; candidate: string | null }>> {
  return t.server.database.dataSource.query(
    `SELECT id, attendance_id AS "attendanceId", created_at AS "createdAt", expires_at AS "expiresAt", crop_media_id AS crop, candidate_person_id AS candidate
       FROM review_item WHERE kind = $1 AND camera_id = $2 ORDER BY created_at`,
    [kind, cameraId],
  );
}

/** Within 5 standard deviations of a binomial(n, rate): a sampler ignoring the rate lands far outside. */
function assertNearRate(kept: number, n: number, rate: number): void {
  const sd = Math.sqrt(n * rate * (1 - rate));
  assert.ok(Math.abs(kept - n * rate) < 5 * sd, `kept ${kept} of ${n}, expected about ${n * rate}`);
}

describe(`review sampling at the configured rates (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 300_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_DATA_DIR: dataDir, VIGIL_TIMEZONE: 'UTC' });
    sampler = t.server.app.get(ReviewSampler);
    attendance = t.server.app.get(AttendanceService);
    watchX = (await t.api('POST', '/api/persons', { body: { name: 'Watched X', list: 'watchlist' } })).body.id;
    for (const name of ['Worker W', 'Kiosk K']) employees[name] = (await t.api('POST', '/api/persons', { body: { name, list: 'employee' } })).body.id;
    for (const name of ['Entrance', 'Lobby', 'Yard', 'Back door', 'Side door', 'Closed door']) cams[name] = await camera(name);
    [{ id: adminTokenId }] = await t.server.database.dataSource.query(`SELECT id FROM api_token WHERE role = 'admin' LIMIT 1`);
  });
  after(async () => {
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('attendance bookings on a camera are sampled exactly as the seeded rule says, near the rate', async () => {
    const rate = 0.3;
    await settings({ attendanceSampleRate: rate, attendanceDailyCap: 100_000, samplingSeed: SEED });
    const cam = cams.Entrance!;
    const employee = employees['Worker W']!;
    const crops = cropStore(cam);
    const start = Date.parse('2026-01-05T06:00:00Z');
    const booked: string[] = [];
    const n = 300;
    for (let i = 0; i < n; i++) {
      // Two hours apart: every sighting is a booking (in / out alternate).
      const r = await attendance.record({ personId: employee, at: new Date(start + i * 2 * 3_600_000), score: 0.8, distance: 0.3, source: 'camera', cameraId: cam, storeCrop: () => crops.store() });
      assert.ok(r.event, 'each sighting books');
      booked.push(r.event.id);
    }
    const expected = booked.filter((id) => decideSample({ seed: SEED, key: sampleKey('attendance', cam, id), rate, takenToday: 0, dailyCap: 100_000 }).keep);
    const sampled = await items('attendance', cam);
    assert.deepEqual(new Set(sampled.map((s) => s.attendanceId)), new Set(expected));
    assertNearRate(sampled.length, n, rate);
    assert.equal(crops.calls.length, sampled.length, 'crops are stored only for sampled bookings');
    assert.ok(sampled.every((s) => s.crop !== null && s.candidate === employee && s.expiresAt === null));
  });

  it('kiosk bookings (no camera) are not sampled', async () => {
    await settings({ attendanceSampleRate: 1 });
    const employee = employees['Kiosk K']!;
    const r = await attendance.record({ personId: employee, at: new Date(), score: 0.8, source: 'kiosk' });
    assert.ok(r.event);
    assert.equal(r.reviewItemId, null);
  });

  it('unknown tracks are kept exactly as the seeded rule says, near the rate, with the retention expiry', async () => {
    const rate = 0.2;
    await settings({ unknownSampleRate: rate, unknownDailyCap: 100_000, unknownRetentionDays: 30 });
    const cam = cams['Lobby']!;
    const crops = cropStore(cam);
    const start = Date.parse('2026-02-01T00:00:00Z');
    const n = 400;
    const kept: Array<{ at: Date; id: string }> = [];
    for (let i = 0; i < n; i++) {
      const at = new Date(start + i * 60_000);
      const track: UnknownTrack = { cameraId: cam, at, bestCandidate: i % 2 ? { personId: watchX, distance: 0.62 } : null, storeCrop: (expiresAt) => crops.store(expiresAt) };
      const id = await sampler.considerUnknown(track);
      if (id) kept.push({ at, id });
    }
    const expected = Array.from({ length: n }, (_, i) => new Date(start + i * 60_000)).filter(
      (at) => decideSample({ seed: SEED, key: sampleKey('unknown', cam, at.toISOString()), rate, takenToday: 0, dailyCap: 100_000 }).keep,
    );
    assert.deepEqual(kept.map((k) => k.at.toISOString()), expected.map((a) => a.toISOString()));
    assertNearRate(kept.length, n, rate);
    assert.equal(crops.calls.length, kept.length, 'storeCrop only for kept tracks');
    for (let i = 0; i < kept.length; i++) assert.equal(crops.calls[i]!.getTime(), kept[i]!.at.getTime() + 30 * DAY, 'crop expires after the retention');
    const rows = await items('unknown', cam);
    assert.deepEqual(rows.map((r) => r.id).sort(), kept.map((k) => k.id).sort());
    assert.ok(rows.every((r) => r.expiresAt && new Date(r.expiresAt).getTime() === new Date(r.createdAt).getTime() + 30 * DAY));
    assert.ok(rows.some((r) => r.candidate === watchX) && rows.some((r) => r.candidate === null), 'the nearest person is kept when there was one');
  });

  it('the unseen sample has its own rate and retention, as kind "sample"', async () => {
    const rate = 0.1;
    await settings({ unseenSampleRate: rate, unseenDailyCap: 100_000, unseenRetentionDays: 90 });
    const cam = cams['Yard']!;
    const crops = cropStore(cam);
    const start = Date.now(); // recent: a queue hides open items past their expiry
    const n = 400;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const at = new Date(start + i * 60_000);
      const id = await sampler.considerUnseen({ cameraId: cam, at, bestCandidate: null, storeCrop: (expiresAt) => crops.store(expiresAt) });
      const expect = decideSample({ seed: SEED, key: sampleKey('sample', cam, at.toISOString()), rate, takenToday: 0, dailyCap: 100_000 }).keep;
      assert.equal(id !== null, expect, `decision ${i}`);
      if (id) kept++;
    }
    assertNearRate(kept, n, rate);
    const rows = await items('sample', cam);
    assert.equal(rows.length, kept);
    assert.ok(rows.every((r) => new Date(r.expiresAt!).getTime() === new Date(r.createdAt).getTime() + 90 * DAY));
    const queue = await t.server.database.repos.reviewItems.queue({ kind: 'sample', cameraId: cam, status: 'open', limit: 500, offset: 0 });
    assert.equal(queue.total, kept, 'the samples are in the queue');
  });

  it('the daily cap per camera holds, and a new day starts a new allowance', async () => {
    await settings({ unknownSampleRate: 1, unknownDailyCap: 3 });
    const cam = cams['Back door']!;
    const other = cams['Side door']!;
    const crops = cropStore(cam);
    const day1 = Date.parse('2026-04-01T10:00:00Z');
    const kept = async (c: string, at: number) => (await sampler.considerUnknown({ cameraId: c, at: new Date(at), bestCandidate: null, storeCrop: (e) => crops.store(e) })) !== null;
    const first = [];
    for (let i = 0; i < 5; i++) first.push(await kept(cam, day1 + i * 1000));
    assert.deepEqual(first, [true, true, true, false, false]);
    assert.equal(await kept(other, day1), true, 'the cap is per camera');
    assert.equal(await kept(cam, day1 + DAY), true, 'next day');
    assert.equal(crops.calls.length, 5);
  });

  it('rate 0 keeps nothing and stores no crop', async () => {
    await settings({ unknownSampleRate: 0, unseenSampleRate: 0, unknownDailyCap: 100 });
    const cam = cams['Closed door']!;
    const crops = cropStore(cam);
    for (let i = 0; i < 20; i++) {
      const track: UnknownTrack = { cameraId: cam, at: new Date(Date.parse('2026-05-01T00:00:00Z') + i), bestCandidate: null, storeCrop: (e) => crops.store(e) };
      assert.equal(await sampler.considerUnknown(track), null);
      assert.equal(await sampler.considerUnseen(track), null);
    }
    assert.equal(crops.calls.length, 0);
  });
});
