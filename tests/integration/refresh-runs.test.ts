import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RefreshRunView } from '@vigil/contracts';
import { ConflictError } from '@vigil/domain';
import type { Principal } from '@vigil/auth';
import { Database } from '@vigil/persistence';
import { AppEvents } from '../../apps/server/src/core/app-events';
import { RefreshRuns, STALE_SECONDS } from '../../apps/server/src/model-versions/refresh-runs';
import { openTwoHandles, type TwoHandles } from '../support/test-database';

const onPostgres = Boolean(process.env.DATABASE_URL);
const ADMIN: Principal = { tokenId: null, sessionId: null, userId: null, role: 'admin', name: 'Ada Admin' };

describe(`stored model refresh runs on ${onPostgres ? 'PostgreSQL (two handles, as two api processes)' : 'embedded PGlite'}`, { timeout: 60_000 }, () => {
  let handles: TwoHandles;
  let dbA: Database;
  let dbB: Database;
  let a: RefreshRuns;
  let b: RefreshRuns;
  const pushedA: RefreshRunView[] = [];
  before(async () => {
    handles = await openTwoHandles();
    ({ a: dbA, b: dbB } = handles);
    const eventsA = new AppEvents();
    eventsA.on('refresh.progress', (run) => pushedA.push(run));
    a = new RefreshRuns(dbA, eventsA, 'api-a');
    b = new RefreshRuns(dbB, new AppEvents(), 'api-b');
  });
  after(async () => {
    await handles?.close();
  });

  it('one running run across processes: the other sees it with its progress and cannot start a second; the end is stored', async () => {
    assert.equal(await b.latest(), null);
    const run = await a.claim(ADMIN);
    assert.deepEqual([run.view.status, run.view.trigger, run.view.requestedBy, run.view.node, run.view.progress], ['running', 'admin', 'Ada Admin', 'api-a', { phase: 'preparing' }]);
    await assert.rejects(b.claim(null), (e: unknown) => e instanceof ConflictError && /already running/.test(e.message));
    await assert.rejects(a.claim(null), ConflictError);
    run.report({ phase: 'embedding', done: 3, total: 10 });
    await new Promise((r) => setTimeout(r, 100));
    const seen = await b.latest();
    assert.deepEqual([seen?.id, seen?.status, seen?.progress], [run.view.id, 'running', { phase: 'embedding', done: 3, total: 10 }], 'api B shows the run api A runs');
    await run.fail('The active version changed while this refresh ran; refresh again.');
    const ended = await b.latest();
    assert.deepEqual([ended?.status, ended?.error, ended?.progress], ['failed', 'The active version changed while this refresh ran; refresh again.', null]);
    assert.ok(ended?.finishedAt);
    assert.deepEqual(pushedA.map((p) => p.status), ['running', 'running', 'failed'], 'start, phase, end pushed');
    assert.equal(pushedA[1]!.progress?.phase, 'embedding');

    const second = await b.claim(null);
    assert.equal(second.view.trigger, 'schedule');
    await second.succeed({ promoted: false, reason: 'no gain' } as never);
    const done = await a.latest();
    assert.deepEqual([done?.id, done?.status, (done?.result as { reason?: string } | null)?.reason], [second.view.id, 'finished', 'no gain']);
  });

  it('a running run whose process died (heartbeat silent) is marked interrupted by the next start or read, and blocks nothing', async () => {
    const run = await a.claim(ADMIN);
    assert.equal((await b.latest())?.status, 'running', 'a fresh heartbeat is not stale');
    await dbA.dataSource.query(`UPDATE refresh_run SET heartbeat_at = now() - make_interval(secs => $1) WHERE id = $2`, [STALE_SECONDS + 5, run.view.id]);
    const read = await b.latest();
    assert.deepEqual([read?.id, read?.status], [run.view.id, 'interrupted']);
    assert.match(read?.error ?? '', /stopped before it ended/);
    const next = await b.claim(ADMIN);
    assert.equal(next.view.status, 'running');
    await run.succeed({ promoted: true } as never); // the "dead" one ends late: it cannot overwrite its state
    const old = await dbB.repos.refreshRuns.get(run.view.id);
    assert.equal(old?.state, 'interrupted');
    await next.fail('stop');

    const stale = await a.claim(null);
    await dbA.dataSource.query(`UPDATE refresh_run SET heartbeat_at = now() - make_interval(secs => $1) WHERE id = $2`, [STALE_SECONDS + 5, stale.view.id]);
    const taken = await b.claim(null);
    assert.equal((await dbA.repos.refreshRuns.get(stale.view.id))?.state, 'interrupted', 'the next start marked it');
    await taken.fail('stop');
    await stale.fail('late');
  });

  it('the database itself refuses a second running run', async () => {
    const first = await dbA.repos.refreshRuns.start({ trigger: 'schedule', startedByUserId: null, startedByTokenId: null, startedByName: null, ownerNode: 'x', progress: null });
    assert.ok(first);
    assert.equal(await dbB.repos.refreshRuns.start({ trigger: 'schedule', startedByUserId: null, startedByTokenId: null, startedByName: null, ownerNode: 'y', progress: null }), null);
    assert.equal(await dbB.repos.refreshRuns.finish(first.id, { state: 'succeeded', outcome: {} }), true);
    assert.equal(await dbB.repos.refreshRuns.finish(first.id, { state: 'failed', error: 'again' }), false, 'an ended run stays ended');
    assert.equal(await dbB.repos.refreshRuns.heartbeat(first.id), false);
  });
});
