import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from 'pg';
import { Database } from '@vigil/persistence';
import { JOBS, Leadership } from '../../apps/server/src/leadership/leadership';
import { openTwoHandles, type TwoHandles } from '../support/test-database';

const onPostgres = Boolean(process.env.DATABASE_URL);
const FAST = { campaignIntervalMs: 100, pingIntervalMs: 100, pingTimeoutMs: 1_000 };

async function until<T>(what: string, ms: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function recorder() {
  const calls: string[] = [];
  return { calls, handlers: { start: () => void calls.push('start'), stop: () => void calls.push('stop') } };
}

describe(`job leadership on ${onPostgres ? 'PostgreSQL (two handles, as two processes)' : 'embedded PGlite'}`, { timeout: 60_000 }, () => {
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

  if (!onPostgres) {
    it('the one process leads every job at once', async () => {
      const l = new Leadership(dbA, { node: 'solo', ...FAST });
      const jobs = JOBS.map(() => recorder());
      JOBS.forEach((job, i) => l.run(job, jobs[i]!.handlers));
      await l.tick();
      assert.deepEqual(l.status().map((s) => [s.job, s.leader]), JOBS.map((j) => [j, true]));
      assert.deepEqual(jobs.map((j) => j.calls), JOBS.map(() => ['start']));
      await l.close();
      assert.deepEqual(jobs.map((j) => j.calls), JOBS.map(() => ['start', 'stop']));
    });
    return;
  }

  it('of two competing processes exactly one leads each job, on its own connection; a killed connection hands over and fences the old leader', async () => {
    const a = new Leadership(dbA, { node: 'node-a', ...FAST });
    const b = new Leadership(dbB, { node: 'node-b', ...FAST });
    const ja = recorder();
    const jb = recorder();
    try {
      a.run('escalator', ja.handlers);
      await a.tick();
      b.run('escalator', jb.handlers);
      for (let i = 0; i < 5; i++) await Promise.all([a.tick(), b.tick()]);
      await new Promise((r) => setTimeout(r, 300)); // timers tick on their own too
      assert.deepEqual([a.isLeader('escalator'), b.isLeader('escalator')], [true, false], 'exactly one leader');
      assert.deepEqual([ja.calls, jb.calls], [['start'], []]);

      const admin = new Client({ connectionString: (handles.config as { url: string }).url });
      await admin.connect();
      try {
        const sessions = (await admin.query<{ application_name: string; locks: string }>(
          `SELECT a.application_name, count(l.*)::text AS locks FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory'
            WHERE a.application_name LIKE 'vigil-leader:%' GROUP BY a.application_name`,
        )).rows;
        assert.deepEqual(sessions, [{ application_name: 'vigil-leader:node-a', locks: '1' }], 'the lock lives on the dedicated leader connection');

        const t0 = performance.now();
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vigil-leader:node-a'`);
        await until('the old leader to fence itself', 10_000, () => (a.isLeader('escalator') ? undefined : true));
        const fencedMs = performance.now() - t0;
        await until('the other process to lead', 10_000, () => (b.isLeader('escalator') ? true : undefined));
        const handOverMs = performance.now() - t0;
        console.log(JSON.stringify({ test: 'leadership connection killed', fencedMs: Math.round(fencedMs), handOverMs: Math.round(handOverMs), campaignIntervalMs: FAST.campaignIntervalMs }));
        assert.deepEqual([ja.calls, jb.calls], [['start', 'stop'], ['start']]);

        await until('the old leader to reconnect', 10_000, async () => {
          const n = (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'vigil-leader:node-a'`)).rowCount;
          return n === 1 ? true : undefined;
        });
        await a.tick();
        assert.equal(a.isLeader('escalator'), false, 'the reconnected old leader waits');
      } finally {
        await admin.end();
      }

      await b.close();
      await until('the lock to come back after a clean shutdown', 10_000, () => (a.isLeader('escalator') ? true : undefined));
      assert.deepEqual([ja.calls, jb.calls], [['start', 'stop', 'start'], ['start', 'stop']]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
