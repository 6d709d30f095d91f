import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Database, type NewScanJob } from '@vigil/persistence';
import { openTwoHandles, type TwoHandles } from '../support/test-database';

const onPostgres = Boolean(process.env.DATABASE_URL);

const job = (name: string): NewScanJob => ({
  id: randomUUID(),
  list: 'watchlist',
  originalName: name,
  mediaPath: `x/upload/${name}`,
  sizeBytes: 10,
  probe: { kind: 'video' },
  requestedByUserId: null,
  requestedByTokenId: null,
  requestedByName: 'Ada Admin',
});

describe(`scan jobs in the database on ${onPostgres ? 'PostgreSQL (two handles, as two workers)' : 'embedded PGlite'}`, { timeout: 60_000 }, () => {
  let handles: TwoHandles;
  let dbA: Database;
  let dbB: Database;
  before(async () => {
    handles = await openTwoHandles();
    ({ a: dbA, b: dbB } = handles);
  });
  after(async () => {
    await handles?.close();
  });

  it('workers claiming at once each take a different job, oldest first, and a worker never holds two', async () => {
    const w1 = await dbA.repos.workerNodes.register('claim-1', 1);
    const w2 = await dbB.repos.workerNodes.register('claim-2', 1);
    const first = await dbA.repos.scanJobs.create(job('first.mp4'));
    const second = await dbA.repos.scanJobs.create(job('second.mp4'));
    const [a, b] = await Promise.all([dbA.repos.scanJobs.claimNext(w1, 'claim-1'), dbB.repos.scanJobs.claimNext(w2, 'claim-2')]);
    assert.deepEqual(new Set([a?.id, b?.id]), new Set([first.id, second.id]), 'two workers, two jobs');
    assert.deepEqual([a?.status, b?.status], ['running', 'running']);
    const third = await dbA.repos.scanJobs.create(job('third.mp4'));
    assert.equal(await dbA.repos.scanJobs.claimNext(w1, 'claim-1'), null, 'one running job per worker');
    assert.equal((await dbA.repos.scanJobs.get(third.id))?.status, 'queued');
    // Clean up for the next cases: end both and the third.
    await dbA.repos.scanJobs.finish(a!.id, a!.workerId!, { status: 'failed', error: 'test' });
    await dbA.repos.scanJobs.finish(b!.id, b!.workerId!, { status: 'failed', error: 'test' });
    await dbA.repos.scanJobs.cancel(third.id);
  });

  it('a cancel wins over a later finish and progress: the job stays cancelled, and the worker learns it from the refused write', async () => {
    const w = await dbA.repos.workerNodes.register('cancel-1', 1);
    await dbA.repos.scanJobs.create(job('cancel.mp4'));
    const running = (await dbA.repos.scanJobs.claimNext(w, 'cancel-1'))!;
    assert.equal(await dbA.repos.scanJobs.progress(running.id, w, { framesDone: 1 }), true);
    const cancelled = await dbB.repos.scanJobs.cancel(running.id);
    assert.equal(cancelled?.cancelled, true);
    assert.equal(await dbA.repos.scanJobs.progress(running.id, w, { framesDone: 2 }), false, 'progress after a cancel is refused');
    assert.equal(await dbA.repos.scanJobs.stillRunning(running.id, w), false);
    assert.equal(await dbA.repos.scanJobs.finish(running.id, w, { status: 'finished', summary: {}, reportDir: 'x/report' }), false, 'a finish after a cancel is refused');
    const row = await dbA.repos.scanJobs.get(running.id);
    assert.deepEqual([row?.status, row?.reportDir], ['cancelled', null]);
    assert.equal((await dbB.repos.scanJobs.cancel(running.id))?.cancelled, false, 'an ended job cannot be cancelled again');
  });

  it('running jobs of gone workers are failed: a stopped one, a silent one, and (at boot) a previous run with the same name; a live worker keeps its job', async () => {
    const repo = dbA.repos.scanJobs;
    const start = async (name: string) => {
      const id = await dbA.repos.workerNodes.register(name, 1);
      const created = await repo.create(job(`${name}.mp4`));
      const claimed = await repo.claimNext(id, name);
      assert.equal(claimed?.id, created.id);
      return { workerId: id, jobId: created.id };
    };
    const stopped = await start('gone-stopped');
    await dbA.repos.workerNodes.markStopped(stopped.workerId);
    const silent = await start('gone-silent');
    await dbA.dataSource.query(`UPDATE worker_node SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [silent.workerId]);
    const previous = await start('restarted');
    const live = await start('alive');
    const me = await dbA.repos.workerNodes.register('restarted', 1);

    const periodic = await repo.failOrphaned({ workerId: me, previousName: null }, 30, 'interrupted');
    assert.deepEqual(new Set(periodic.map((j) => j.id)), new Set([stopped.jobId, silent.jobId]), 'without the name rule, only dead workers');
    const atBoot = await repo.failOrphaned({ workerId: me, previousName: 'restarted' }, 30, 'interrupted');
    assert.deepEqual(atBoot.map((j) => j.id), [previous.jobId], 'at boot: the previous run of this worker');
    for (const id of [stopped.jobId, silent.jobId, previous.jobId]) {
      const row = await repo.get(id);
      assert.deepEqual([row?.status, row?.error, row?.finishedAt !== null], ['failed', 'interrupted', true]);
    }
    assert.equal((await repo.get(live.jobId))?.status, 'running', 'the live worker keeps its job');
    assert.ok(Number((await repo.get(stopped.jobId))!.revision) > 1, 'each change moves the revision (the relay pushes it)');
  });
});
