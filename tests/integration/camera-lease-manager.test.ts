import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Database } from '@vigil/persistence';
import { CameraLeases, type LeaseSettings } from '../../apps/server/src/leases/camera-leases';
import { createTestDatabase, TestDatabase } from '../support/test-database';

let testDb: TestDatabase;
let db: Database;

/** A fake monotonic clock shared by the managers (rebalance spacing, self-fencing). */
let now = 0;
const TTL_SECONDS = 1;
const REBALANCE_SECONDS = 30;

function manager(name: string, overrides: Partial<LeaseSettings> = {}) {
  const changes: string[] = [];
  const stopped: string[] = [];
  const leases = new CameraLeases(db, { name, capacity: 10, ttlSeconds: TTL_SECONDS, rebalanceSeconds: REBALANCE_SECONDS, ...overrides }, null, {
    clock: () => now,
    timer: false,
  });
  leases.setHooks({ changed: () => changes.push('changed'), stopping: async (id) => void stopped.push(id) });
  return { leases, changes, stopped, held: () => [...leases.heldLeases().keys()].sort() };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`camera lease manager: two workers on one ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'} database`, { timeout: 120_000 }, () => {
  const cameras: string[] = [];

  before(async () => {
    testDb = await createTestDatabase();
    db = await Database.open(testDb.config);
    for (const name of ['c1', 'c2', 'c3', 'c4']) cameras.push((await db.repos.cameras.create({ name, url: `rtsp://10.0.0.1/${name}` })).id);
  });
  after(async () => {
    await db?.close();
    await testDb?.cleanup();
  });

  let a: ReturnType<typeof manager>;
  let b: ReturnType<typeof manager>;

  it('one worker alone claims every camera, at epoch 1', async () => {
    a = manager('worker-a');
    await a.leases.start();
    assert.deepEqual(a.held(), [...cameras].sort());
    assert.deepEqual([...a.leases.heldLeases().values()], ['1', '1', '1', '1']);
  });

  it('a second worker joins: cameras move one at a time, one move per rebalance period, then stay (hysteresis)', async () => {
    b = manager('worker-b');
    await b.leases.start();
    assert.equal(b.held().length, 0, 'nothing is free: the joiner waits for a release');
    const counts: string[] = [];
    const step = async () => {
      await a.leases.sync();
      await b.leases.sync();
      counts.push(`${a.held().length}/${b.held().length}`);
    };
    await step(); // A releases one (no move yet), B claims it
    await step(); // within the rebalance period: no second move
    now += REBALANCE_SECONDS * 1000;
    await step(); // the second move
    now += REBALANCE_SECONDS * 1000;
    await step(); // 2/2: spread 0, nothing moves
    now += REBALANCE_SECONDS * 1000;
    await step();
    assert.deepEqual(counts, ['3/1', '3/1', '2/2', '2/2', '2/2']);
    assert.equal(a.stopped.length, 2, 'A stopped each camera before releasing its lease');
    assert.deepEqual([...b.leases.heldLeases().values()], ['2', '2'], 'each moved camera changed holder once: epoch 2');
  });

  it('a worker that stops renewing (crash) loses its cameras to the other once the leases expire, at the next epoch', async () => {
    const aHad = a.held();
    await sleep(TTL_SECONDS * 1000 + 300); // real time: expiry is the database's clock
    now += 1; // B's own renewals keep its leases; A stays silent
    await b.leases.sync();
    assert.deepEqual(b.held(), [...cameras].sort(), 'B took A\'s cameras');
    for (const id of aHad) assert.equal(b.leases.epochOf(id), '2', 'taken over at epoch 2 (A held them at 1)');
  });

  it('the silent worker fences itself on its monotonic clock: after a TTL without renewal it holds nothing', () => {
    now += TTL_SECONDS * 1000 + 1;
    assert.deepEqual(a.held(), [], 'every camera dropped');
  });

  it('a write refused under an old epoch drops only that epoch', async () => {
    assert.deepEqual(b.held(), [], 'B too went a TTL on the fake clock without renewing: fenced');
    await b.leases.sync(); // the database still has them as B's (nobody took them): held again
    assert.deepEqual(b.held(), [...cameras].sort());
    const [first] = b.held();
    b.leases.lost(first!, '1');
    assert.ok(b.held().includes(first!), 'a late refusal under an older epoch does not drop the newer lease');
    b.leases.lost(first!, b.leases.epochOf(first!)!);
    assert.ok(!b.held().includes(first!));
    assert.ok(b.changes.length > 0, 'ingest is told to stop the camera');
    await b.leases.sync(); // it is still B's in the database (renewed): taken back, same epoch
    assert.ok(b.held().includes(first!));
  });

  it('graceful stop releases at once: the other worker takes over without waiting for expiry', async () => {
    const c = manager('worker-c');
    await c.leases.start();
    await b.leases.stop();
    const worker = await db.repos.workerNodes.findById(b.leases.workerId!);
    assert.ok(worker?.stoppedAt, 'worker B marked stopped');
    await c.leases.sync();
    assert.deepEqual(c.held(), [...cameras].sort());
    await c.leases.stop();
  });
});
