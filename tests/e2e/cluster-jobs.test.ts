// @engine-independent: always real PostgreSQL and Redis
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HealthView, JobLeadershipView, RefreshRunView } from '@vigil/contracts';
import { Database } from '@vigil/persistence';
import { ClusterNode, createClusterDatabase, metricValue, startNode, waitFor, type ClusterDatabase } from '../support/cluster';

/**
 * Jobs that must run once (issue #14): two api processes on one PostgreSQL database. Exactly one
 * leads each job; overdue alerts are escalated once, by the leader; retention ran at the leader's
 * boot and not in the other; `kill -9` of the leader hands every job to the other.
 */
const JOBS = ['escalator', 'retention', 'refresh-scheduler', 'kpi-monitor'];
const ESCALATE_SECONDS = 2;

async function jobsOf(node: ClusterNode): Promise<Map<string, JobLeadershipView>> {
  const health = await node.get<HealthView>('/api/health');
  return new Map(health.jobs.map((j) => [j.job, j]));
}

async function leaderOf(nodes: ClusterNode[], job: string): Promise<ClusterNode[]> {
  const out: ClusterNode[] = [];
  for (const n of nodes) if ((await jobsOf(n)).get(job)?.leader) out.push(n);
  return out;
}

describe('jobs that must run once, with two api processes', { timeout: 120_000 }, () => {
  let cluster: ClusterDatabase;
  let db: Database;
  let a: ClusterNode;
  let b: ClusterNode;
  let personId: string;

  before(async () => {
    cluster = await createClusterDatabase();
    const env = { VIGIL_ALERT_ESCALATE_SECONDS: String(ESCALATE_SECONDS) };
    a = await startNode({ name: 'api-a', roles: ['api'], databaseUrl: cluster.url, env });
    b = await startNode({ name: 'api-b', roles: ['api'], databaseUrl: cluster.url, env });
    db = await Database.open({ kind: 'postgres', url: cluster.url }, { migrate: false });
    personId = (await db.repos.persons.create({ name: 'Overdue Person', list: 'watchlist' })).id;
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.close();
    await cluster?.cleanup();
  });

  async function overdueAlerts(n: number): Promise<string[]> {
    const raisedAt = new Date(Date.now() - 60_000);
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await db.repos.alerts.raise({ cameraId: null, personId, list: 'watchlist', score: 0.9, raisedAt })).id);
    return ids;
  }

  async function escalationAudits(ids: string[]): Promise<number[]> {
    return Promise.all(ids.map(async (id) => (await db.repos.audit.forObject('alert', id)).filter((e) => e.action === 'alert.escalate').length));
  }

  it('exactly one process leads each job; overdue alerts are escalated once, by the leader; the other runs nothing', async () => {
    await waitFor('every job to have a leader', async () => {
      for (const job of JOBS) if ((await leaderOf([a, b], job)).length !== 1) return undefined;
      return true;
    }, 20_000);
    const leaders = await Promise.all(JOBS.map((job) => leaderOf([a, b], job)));
    for (const [i, l] of leaders.entries()) assert.equal(l.length, 1, `exactly one leader of ${JOBS[i]}`);
    const leaderOfJob = new Map(JOBS.map((job, i) => [job, leaders[i]![0]!]));
    const leader = leaderOfJob.get('escalator')!;
    const follower = leader === a ? b : a;

    // Each job ran (or, for the escalator, keeps running) only where it is led; retention ran once
    // when its leader took the lead (at its boot) and never in the other process.
    for (const job of JOBS) {
      const l = (await jobsOf(leaderOfJob.get(job)!)).get(job)!;
      const f = (await jobsOf(leaderOfJob.get(job) === a ? b : a)).get(job)!;
      assert.deepEqual([l.leader, f.leader], [true, false], job);
      assert.ok(l.since, `${job}: since when`);
      assert.deepEqual([f.runs, f.lastRunAt, f.since], [0, null, null], `the follower runs no ${job}`);
      if (job === 'retention') assert.deepEqual([l.runs, typeof l.lastRunAt], [1, 'string'], 'retention ran once, at the leader\'s boot');
    }

    const ids = await overdueAlerts(5);
    await waitFor('the overdue alerts to be escalated', async () => ((await escalationAudits(ids)).every((n) => n >= 1) ? true : undefined), 20_000);
    const runsBefore = [metricValue(await leader.metrics(), 'vigil_job_runs_total', { job: 'escalator' }), metricValue(await follower.metrics(), 'vigil_job_runs_total', { job: 'escalator' })];
    await new Promise((r) => setTimeout(r, 2_500)); // a few more escalator checks
    assert.deepEqual(await escalationAudits(ids), [1, 1, 1, 1, 1], 'each alert escalated exactly once');
    for (const id of ids) assert.equal((await db.repos.alerts.findById(id))?.status, 'escalated');

    const metrics = new Map([[a, await a.metrics()], [b, await b.metrics()]]);
    for (const job of JOBS) {
      const l = leaderOfJob.get(job)!;
      assert.equal(metricValue(metrics.get(l)!, 'vigil_job_leader', { job }), 1, `${l.name} leads ${job} (metrics)`);
      assert.equal(metricValue(metrics.get(l === a ? b : a)!, 'vigil_job_leader', { job }), 0, `the other does not lead ${job} (metrics)`);
    }
    const lm = metrics.get(leader)!;
    const fm = metrics.get(follower)!;
    assert.ok(metricValue(lm, 'vigil_job_runs_total', { job: 'escalator' }) > runsBefore[0]!, 'the leader keeps checking');
    assert.equal(metricValue(fm, 'vigil_job_runs_total', { job: 'escalator' }), 0);
    assert.equal(runsBefore[1], 0, 'the follower\'s run counter does not move');
  });

  it('a refresh run is stored: both processes show the running run, neither starts a second, a dead owner\'s run is interrupted', async () => {
    const run = await db.repos.refreshRuns.start({ trigger: 'schedule', startedByUserId: null, startedByTokenId: null, startedByName: null, ownerNode: 'elsewhere', progress: { phase: 'embedding', done: 1, total: 4 } });
    assert.ok(run);
    for (const node of [a, b]) {
      const seen = (await node.get<{ run: RefreshRunView }>('/api/model-versions/refresh')).run;
      assert.deepEqual([seen.id, seen.status, seen.node, seen.progress], [run.id, 'running', 'elsewhere', { phase: 'embedding', done: 1, total: 4 }], node.name);
      const res = await fetch(`${node.baseUrl}/api/model-versions/refresh`, { method: 'POST', headers: { authorization: `Bearer ${node.adminToken}` } });
      assert.equal(res.status, 409, `${node.name}: ${await res.text()}`);
    }
    await db.dataSource.query(`UPDATE refresh_run SET heartbeat_at = now() - interval '2 minutes' WHERE id = $1`, [run.id]);
    const seen = (await b.get<{ run: RefreshRunView }>('/api/model-versions/refresh')).run;
    assert.deepEqual([seen.id, seen.status], [run.id, 'interrupted']);
    assert.equal((await a.get<{ run: RefreshRunView }>('/api/model-versions/refresh')).run.status, 'interrupted');
  });

  it('kill -9 of the leader: the other process leads every job within a bounded wait, runs retention and escalates the next overdue alert', async () => {
    const leader = (await leaderOf([a, b], 'escalator'))[0]!;
    const survivor = leader === a ? b : a;
    const t0 = performance.now();
    leader.kill('SIGKILL');
    await leader.exited;
    const handOver: Record<string, number> = {};
    await waitFor('the survivor to lead every job', async () => {
      const jobs = await jobsOf(survivor);
      for (const job of JOBS) if (jobs.get(job)?.leader && handOver[job] === undefined) handOver[job] = Math.round(performance.now() - t0);
      return JOBS.every((job) => jobs.get(job)?.leader) ? true : undefined;
    }, 30_000, 100);
    console.log(JSON.stringify({ test: 'cluster-jobs kill -9 hand-over', handOverMs: handOver, campaignIntervalMs: 2_000 }));

    const jobs = await jobsOf(survivor);
    assert.equal(jobs.get('retention')?.runs, 1, 'retention ran once when the survivor took the lead');
    const [id] = await overdueAlerts(1);
    await waitFor('the survivor to escalate the next overdue alert', async () => ((await escalationAudits([id!]))[0] === 1 ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.deepEqual(await escalationAudits([id!]), [1]);
    assert.ok(metricValue(await survivor.metrics(), 'vigil_job_runs_total', { job: 'escalator' }) > 0);
  });
});
