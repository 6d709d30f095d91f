import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '@vigil/config';
import { LeaseLostError } from '@vigil/domain';
import { MediaStore } from '@vigil/gallery';
import { Database } from '@vigil/persistence';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { AttendanceService } from '../../apps/server/src/attendance/attendance.service';
import { AppEvents } from '../../apps/server/src/core/app-events';
import { DecisionDispatcher, type CameraOrigin } from '../../apps/server/src/recognition/decision-dispatcher';
import { EvidenceImages } from '../../apps/server/src/recognition/evidence-images';
import { ReviewSampler } from '../../apps/server/src/reviews/review-sampler.service';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const COOLDOWN_SECONDS = 60;

let testDb: TestDatabase;
let db: Database;
let dataDir: string;

/** One worker process's decision path (its own in-memory cooldown), on the shared database. */
function processOn(database: Database): DecisionDispatcher {
  const config = loadConfig({ VIGIL_ALERT_COOLDOWN_SECONDS: String(COOLDOWN_SECONDS), VIGIL_DATA_DIR: dataDir });
  const events = new AppEvents();
  return new DecisionDispatcher(
    config,
    new AlertsService(database, events, config),
    new AttendanceService(database, events, config),
    new EvidenceImages(database, new MediaStore(dataDir)),
    new ReviewSampler(database, events, config),
  );
}

function mediaFiles(): string[] {
  const root = path.join(dataDir, 'media');
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
  } catch {
    return [];
  }
}

describe(`alert cooldown held by the database across processes (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`, { timeout: 120_000 }, () => {
  let personId: string;
  let cameraId: string;
  let a: DecisionDispatcher;
  let b: DecisionDispatcher;
  const t0 = Date.parse('2026-12-02T10:00:00Z');

  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-cooldown-'));
    personId = (await db.repos.persons.create({ name: 'Watched', list: 'watchlist' })).id;
    cameraId = (await db.repos.cameras.create({ name: 'Door', url: 'rtsp://10.0.0.1/door' })).id;
    a = processOn(db);
    b = processOn(db);
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const kiosk = (at: number) => ({ personId, list: 'watchlist' as const, score: 0.9, distance: 0.3, at: new Date(at), modelVersionId: null, origin: { kind: 'kiosk' as const, tokenId: null } });
  const camera = (at: number, leaseEpoch: string) => {
    const origin: CameraOrigin = {
      kind: 'camera', cameraId, leaseEpoch,
      frame: { rgb: Buffer.alloc(64 * 48 * 3, 90), width: 64, height: 48 },
      box: { x: 16, y: 8, width: 24, height: 24 }, quality: {}, track: { startedAt: new Date(at - 1000), sightings: 3 },
    };
    return { ...kiosk(at), origin };
  };

  it('a second process does not alert on the same person at the same place within the cooldown', async () => {
    assert.equal((await a.match(kiosk(t0))).kind, 'alert');
    assert.equal((await b.match(kiosk(t0 + 5_000))).kind, 'cooldown', 'B never saw the first alert in memory: the database did');
    assert.equal((await b.match(kiosk(t0 + (COOLDOWN_SECONDS + 1) * 1000))).kind, 'alert', 'after the cooldown');
  });

  it('a camera handed over: the old holder\'s write is refused, the new holder respects the cooldown, no stray evidence files', async () => {
    const workerA = await db.repos.workerNodes.register('a', 4);
    const workerB = await db.repos.workerNodes.register('b', 4);
    const epochA = (await db.repos.cameraLeases.claim(cameraId, workerA, 60))!;
    const first = await a.match(camera(t0, epochA));
    assert.equal(first.kind, 'alert');
    assert.equal(first.kind === 'alert' && first.alert.leaseEpoch, epochA);
    assert.equal(mediaFiles().length, 2, 'crop and frame of the alert');
    // A stops renewing; B takes the camera.
    await db.dataSource.query(`UPDATE camera_lease SET expires_at = clock_timestamp() - interval '1 second' WHERE camera_id = $1`, [cameraId]);
    const epochB = (await db.repos.cameraLeases.claim(cameraId, workerB, 60))!;
    assert.notEqual(epochB, epochA);
    await assert.rejects(a.match(camera(t0 + (COOLDOWN_SECONDS + 10) * 1000, epochA)), LeaseLostError, 'the old holder cannot write');
    assert.equal((await b.match(camera(t0 + 10_000, epochB))).kind, 'cooldown', 'the new holder saw the person within the cooldown of A\'s alert');
    assert.equal(mediaFiles().length, 2, 'the refused and the cooled-down decisions left no files');
    const rows = (await db.dataSource.query(`SELECT lease_epoch::text AS epoch FROM alert WHERE camera_id = $1 ORDER BY seq`, [cameraId])) as Array<{ epoch: string }>;
    assert.deepEqual(rows.map((r) => r.epoch), [epochA]);
  });
});
