import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LeaseLostError } from '@vigil/domain';
import { Database, isLeaseLost } from '@vigil/persistence';
import { createTestDatabase, TestDatabase } from '../support/test-database';

let testDb: TestDatabase;
let db: Database;

/** Ends the camera's lease as if its holder had stopped renewing a while ago. */
async function expire(cameraId: string): Promise<void> {
  await db.dataSource.query(`UPDATE camera_lease SET expires_at = clock_timestamp() - interval '1 second' WHERE camera_id = $1`, [cameraId]);
}

async function refusedAsLeaseLost(work: () => Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(work, (error: unknown) => {
    assert.ok(error instanceof LeaseLostError, `${what}: expected LeaseLostError, got ${String(error)}`);
    return true;
  });
}

describe(`camera leases on ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}`, { timeout: 120_000 }, () => {
  let cameraId: string;
  let personId: string;
  let employeeId: string;
  let workerA: string;
  let workerB: string;

  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
    cameraId = (await db.repos.cameras.create({ name: 'Gate', url: 'rtsp://10.0.0.1/gate' })).id;
    personId = (await db.repos.persons.create({ name: 'Watched', list: 'watchlist' })).id;
    employeeId = (await db.repos.persons.create({ name: 'Staff', list: 'employee' })).id;
    workerA = await db.repos.workerNodes.register('worker-a', 4);
    workerB = await db.repos.workerNodes.register('worker-b', 4);
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
  });

  /** Every kind of row a worker writes for a camera, under this epoch (each its own transaction). */
  const writes = (epoch: string): Array<[string, () => Promise<unknown>]> => [
    ['alert', () => db.transaction((r) => r.alerts.raise({ cameraId, personId, list: 'watchlist', score: 0.9, leaseEpoch: epoch }))],
    ['sighting', () => db.transaction((r) => r.tracks.recordDecided({
      cameraId, personId, startedAt: new Date(), decidedAt: new Date(), sightings: 3, score: 0.9, leaseEpoch: epoch,
      sighting: { box: { x: 1, y: 2, width: 30, height: 30 }, quality: {}, distance: 0.3 },
    }))],
    ['attendance_event', () => db.transaction((r) => r.attendance.insert({
      personId: employeeId, kind: 'in', at: new Date(), localDate: '2026-12-02', source: 'camera', cameraId, score: 0.9, leaseEpoch: epoch,
    }))],
    ['camera status (camera row + camera_event)', () => db.transaction((r) => r.cameras.recordStatus({ cameraId, status: 'online', fps: 5, at: new Date(), leaseEpoch: epoch }))],
    ['camera liveness', () => db.repos.cameras.recordLiveness(cameraId, 5, new Date(), epoch)],
    ['review_item', () => db.transaction((r) => r.reviewItems.insert({ kind: 'unknown', cameraId, candidatePersonId: null, createdAt: new Date(), localDate: '2026-12-02', leaseEpoch: epoch }))],
  ];

  it('claims a free camera at epoch 1; a second worker cannot claim it while the lease runs', async () => {
    assert.equal(await db.repos.cameraLeases.claim(cameraId, workerA, 30), '1');
    assert.equal(await db.repos.cameraLeases.claim(cameraId, workerB, 30), null);
    assert.equal(await db.repos.cameraLeases.claim(cameraId, workerA, 30), null, 'not even its holder: one holder, one epoch');
    const [info] = await db.repos.cameraLeases.current([cameraId]);
    assert.deepEqual(info, { cameraId, workerId: workerA, workerName: 'worker-a', epoch: '1' });
  });

  it('renews all of a worker\'s leases (and heartbeats) in one statement', async () => {
    const before = (await db.repos.cameraLeases.find(cameraId))!.expiresAt;
    const beat = (await db.repos.workerNodes.findById(workerA))!.heartbeatAt;
    assert.deepEqual(await db.repos.cameraLeases.renewAll(workerA, 60), [{ cameraId, epoch: '1' }]);
    assert.deepEqual(await db.repos.cameraLeases.renewAll(workerB, 60), []);
    assert.ok((await db.repos.cameraLeases.find(cameraId))!.expiresAt.getTime() > before.getTime(), 'expiry moved on');
    assert.ok((await db.repos.workerNodes.findById(workerA))!.heartbeatAt.getTime() >= beat.getTime(), 'heartbeat moved on');
  });

  it('accepts every write under the current epoch, and writes without an epoch (kiosk, tools)', async () => {
    for (const [what, write] of writes('1')) await assert.doesNotReject(write, what);
    await db.transaction((r) => r.alerts.raise({ cameraId: null, personId, list: 'watchlist', score: 0.9 }));
    await db.transaction((r) => r.cameras.recordStatus({ cameraId, status: 'online', fps: 5, at: new Date() }));
  });

  it('an expired lease is taken over at the next epoch; the old holder\'s renewal no longer returns it', async () => {
    await expire(cameraId);
    assert.deepEqual(await db.repos.cameraLeases.current([cameraId]), [], 'an expired lease is nobody\'s');
    assert.equal(await db.repos.cameraLeases.claim(cameraId, workerB, 30), '2');
    assert.deepEqual(await db.repos.cameraLeases.renewAll(workerA, 30), [], 'worker A learns it lost the camera');
    assert.deepEqual(await db.repos.cameraLeases.renewAll(workerB, 30), [{ cameraId, epoch: '2' }]);
  });

  it('refuses every write under the old epoch (LeaseLostError), and the status UPDATE too', async () => {
    const statusBefore = await db.repos.cameras.findById(cameraId);
    for (const [what, write] of writes('1')) await refusedAsLeaseLost(write, what);
    const statusAfter = await db.repos.cameras.findById(cameraId);
    assert.deepEqual([statusAfter!.lastFrameAt, statusAfter!.statusAt], [statusBefore!.lastFrameAt, statusBefore!.statusAt], 'camera row unchanged');
    const counts = (await db.dataSource.query(
      `SELECT (SELECT count(*) FROM alert WHERE lease_epoch = 1)::int AS alerts, (SELECT count(*) FROM sighting WHERE lease_epoch = 1)::int AS sightings,
              (SELECT count(*) FROM attendance_event WHERE lease_epoch = 1)::int AS bookings, (SELECT count(*) FROM camera_event WHERE lease_epoch = 1)::int AS events,
              (SELECT count(*) FROM review_item WHERE lease_epoch = 1)::int AS items`,
    )) as Array<Record<string, number>>;
    assert.deepEqual(counts[0], { alerts: 1, sightings: 1, bookings: 1, events: 1, items: 1 }, 'only the writes made while epoch 1 was current');
    for (const [what, write] of writes('2')) await assert.doesNotReject(write, `${what} under the new epoch`);
  });

  it('the trigger itself refuses a raw insert under a stale epoch with its own SQLSTATE', async () => {
    await assert.rejects(
      db.dataSource.query(`INSERT INTO camera_event (camera_id, status, at, lease_epoch) VALUES ($1, 'online', now(), 1)`, [cameraId]),
      (error: unknown) => isLeaseLost(error) && /camera_lease_lost/.test((error as Error).message),
    );
  });

  it('a released lease is free at once and the next claim increments the epoch (never reused)', async () => {
    assert.equal(await db.repos.cameraLeases.release(cameraId, workerA, '2'), false, 'not A\'s to release');
    assert.equal(await db.repos.cameraLeases.release(cameraId, workerB, '2'), true);
    await refusedAsLeaseLost(writes('2')[0]![1], 'alert after release');
    assert.equal(await db.repos.cameraLeases.claim(cameraId, workerA, 30), '3');
  });

  it('a disabled camera cannot be claimed; shutdown releases all and marks the worker stopped', async () => {
    const other = (await db.repos.cameras.create({ name: 'Off', url: 'rtsp://10.0.0.1/off', enabled: false })).id;
    assert.equal(await db.repos.cameraLeases.claim(other, workerB, 30), null);
    assert.equal(await db.repos.cameraLeases.releaseAll(workerA), 1);
    await db.repos.workerNodes.markStopped(workerA);
    const state = await db.repos.cameraLeases.planningState(30);
    assert.deepEqual(state.workers.map((w) => w.name), ['worker-b'], 'a stopped worker is not alive');
    assert.deepEqual(state.cameras, [{ id: cameraId, holder: workerA, expired: true }], 'only enabled cameras; A\'s lease ended');
  });

  it('the database cooldown finds an alert on the same person at the same place only', async () => {
    const since = new Date(Date.now() - 60_000);
    assert.equal(await db.repos.alerts.raisedSince(personId, cameraId, since), true);
    assert.equal(await db.repos.alerts.raisedSince(personId, null, since), true, 'the kiosk alert above');
    assert.equal(await db.repos.alerts.raisedSince(employeeId, cameraId, since), false);
    assert.equal(await db.repos.alerts.raisedSince(personId, cameraId, new Date(Date.now() + 60_000)), false);
  });
});
