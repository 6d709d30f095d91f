// @engine-independent: always real PostgreSQL and Redis
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io, Socket } from 'socket.io-client';
import type { AlertEvent, AlertStatusEvent, CameraStatusEvent } from '@vigil/contracts';
import { Database } from '@vigil/persistence';
import { ClusterDatabase, ClusterNode, clusterRedisUrl, createClusterDatabase, startNode, waitFor } from '../support/cluster';

/**
 * Consoles shared by api processes (issue #14): two api processes on one PostgreSQL database and
 * one Redis. Alerts reach each console from its own process (outbox + NOTIFY), exactly once;
 * what happens in one process (a status change, a revocation) reaches the consoles of the other
 * through the socket.io Redis adapter, on channels of this installation only.
 */

/** A correctness bound, not a timing assertion: the 30 s re-check must not be what cuts the socket. */
const CUT_BOUND_MS = 10_000;

interface Site {
  db: ClusterDatabase;
  handle: Database;
  nodes: ClusterNode[];
  personId: string;
}

async function http(node: ClusterNode, method: string, route: string, opts: { token?: string; cookie?: string; csrf?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token ?? (opts.cookie ? undefined : node.adminToken)) headers.authorization = `Bearer ${opts.token ?? node.adminToken}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${node.baseUrl}${route}`, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

async function mintToken(node: ClusterNode, name: string, ownerUserId?: string): Promise<{ id: string; token: string }> {
  const res = await http(node, 'POST', '/api/tokens', { body: { name, role: 'security', ...(ownerUserId ? { ownerUserId } : {}) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.id, token: res.body.token };
}

async function signIn(node: ClusterNode, username: string, password: string): Promise<{ cookie: string; csrf: string }> {
  const res = await http(node, 'POST', '/api/auth/sign-in', { body: { username, password } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!, csrf: res.body.csrfToken };
}

/** A console: records every alert (no de-duplication: a duplicate must show) and status change. */
class Console {
  readonly alerts: AlertEvent[] = [];
  readonly statuses: AlertStatusEvent[] = [];
  readonly cameras: CameraStatusEvent[] = [];
  cut: { reason: string; at: number } | null = null;
  private constructor(readonly name: string, readonly socket: Socket) {}

  static async open(name: string, node: ClusterNode, auth: { token?: string; cookie?: string }, acknowledge: (e: AlertEvent) => boolean = () => false): Promise<Console> {
    const socket = io(node.baseUrl, {
      auth: auth.token ? { token: auth.token } : {},
      ...(auth.cookie ? { extraHeaders: { cookie: auth.cookie } } : {}),
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    const c = new Console(name, socket);
    socket.on('alert', (event: AlertEvent, ack: (reply?: { acknowledge?: boolean }) => void) => {
      c.alerts.push(event);
      ack(acknowledge(event) ? { acknowledge: true } : undefined);
    });
    socket.on('alert.status', (event: AlertStatusEvent) => c.statuses.push(event));
    socket.on('camera.status', (event: CameraStatusEvent) => c.cameras.push(event));
    socket.on('disconnect', (reason) => (c.cut ??= { reason, at: Date.now() }));
    await new Promise<void>((resolve, reject) => {
      socket.once('welcome', () => resolve());
      socket.once('connect_error', reject);
    });
    return c;
  }

  statusesOf(alertId: string): AlertStatusEvent[] {
    return this.statuses.filter((s) => s.id === alertId);
  }

  close(): void {
    this.socket.close();
  }
}

async function raise(site: Site): Promise<AlertEvent['id']> {
  // As AlertsService.raise does: one transaction, the alert-seq advisory lock, NOTIFY on commit.
  const row = await site.handle.transaction((repos) => repos.alerts.raise({ cameraId: null, personId: site.personId, list: 'watchlist', score: 0.91 }));
  return row.id;
}

/** Waits (bounded) until the socket is cut; returns how long that took after `since`. */
async function cutWithin(c: Console, since: number): Promise<number> {
  const cut = await waitFor(`${c.name} to be cut`, () => c.cut ?? undefined, CUT_BOUND_MS, 50);
  assert.equal(cut.reason, 'io server disconnect', `${c.name} was cut by the server`);
  return cut.at - since;
}

/** On a failed wait: the error, with what the consoles hold and the processes said (for CI logs). */
function explain(nodes: ClusterNode[], consoles: Console[]) {
  return (error: unknown): never => {
    const held = consoles.map((c) => `${c.name}: ${c.alerts.length} alerts, statuses ${JSON.stringify(c.statuses)}, cut ${JSON.stringify(c.cut)}`);
    const said = nodes.map((n) => `--- ${n.name} ---\n${n.output().slice(-4000)}`);
    throw new Error([String(error), ...held, ...said].join('\n'));
  };
}

const RECHECK_LOG = 're-check cut sockets';

async function startSite(name: string, redisUrl: string, env: Record<string, string>): Promise<Site> {
  const db = await createClusterDatabase();
  const nodes: ClusterNode[] = [];
  // One after the other: the first migrates the fresh database.
  for (const n of ['a', 'b']) nodes.push(await startNode({ name: `${name}-api-${n}`, roles: ['api'], databaseUrl: db.url, redisUrl, env: { LOG_LEVEL: 'info', ...env } }));
  const handle = await Database.open({ kind: 'postgres', url: db.url }, { migrate: false });
  const person = await http(nodes[0]!, 'POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } });
  assert.equal(person.status, 201, JSON.stringify(person.body));
  return { db, handle, nodes, personId: person.body.id };
}

async function stopSite(site: Site | undefined): Promise<void> {
  if (!site) return;
  await site.handle.close().catch(() => undefined);
  await Promise.all(site.nodes.map((n) => n.stop()));
  await site.db.cleanup();
}

describe('consoles shared by api processes through Redis (2 api processes, one database)', { timeout: 300_000 }, () => {
  let one: Site | undefined;
  let two: Site | undefined;
  const consoles: Console[] = [];
  const open = async (...args: Parameters<typeof Console.open>) => {
    const c = await Console.open(...args);
    consoles.push(c);
    return c;
  };

  before(async () => {
    const redisUrl = await clusterRedisUrl();
    // Site one never escalates during the test; site two escalates after 3 s (both processes run the escalator).
    one = await startSite('one', redisUrl, { VIGIL_ALERT_ESCALATE_SECONDS: '3600' });
    two = await startSite('two', redisUrl, { VIGIL_ALERT_ESCALATE_SECONDS: '3' });
  });
  after(async () => {
    for (const c of consoles) c.close();
    await stopSite(one);
    await stopSite(two);
  });

  it('health names the Redis adapter, connected; each installation has its own id', async () => {
    for (const node of [...one!.nodes, ...two!.nodes]) {
      const health = await http(node, 'GET', '/api/health');
      assert.deepEqual(health.body.realtime, { adapter: 'redis', connected: true }, node.name);
      assert.equal(health.body.status, 'ok', node.name);
    }
    const id = async (s: Site) => (await s.handle.repos.settings.get('install.id')) as string;
    assert.match(await id(one!), /^[0-9a-f-]{36}$/);
    assert.notEqual(await id(one!), await id(two!), 'two databases, two installations');
  });

  it('consoles on api A and api B each receive every alert exactly once, in seq order', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const onA = await open('console on A', a, await mintToken(a, 'Desk A'));
    const onB = await open('console on B', b, await mintToken(a, 'Desk B'));
    const ids: string[] = [];
    const started = Date.now();
    for (let burst = 0; burst < 4; burst++) {
      // Five concurrent transactions per burst: the advisory lock makes seq order the commit order.
      ids.push(...(await Promise.all(Array.from({ length: 5 }, () => raise(one!)))));
    }
    const expected = (await one!.handle.repos.alerts.after('0', 100)).map((r) => r.id);
    assert.deepEqual([...expected].sort(), [...ids].sort());
    for (const c of [onA, onB]) {
      await waitFor(`${c.name}: 20 alerts`, () => (c.alerts.length >= 20 ? true : undefined), 30_000, 50).catch(explain([a, b], [onA, onB]));
    }
    console.log(`20 alerts in 4 bursts reached both consoles in ${Date.now() - started} ms`);
    // One more, after the 20: a console that got a duplicate would have 22 by the time it has this one.
    const last = await raise(one!);
    for (const c of [onA, onB]) {
      await waitFor(`${c.name}: the 21st alert`, () => (c.alerts.some((e) => e.id === last) ? true : undefined), 30_000, 50);
      assert.deepEqual(c.alerts.map((e) => e.id), [...expected, last], `${c.name}: every alert once, in seq order`);
      const seqs = c.alerts.map((e) => BigInt(e.seq));
      assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `${c.name}: seq increases`);
    }
  });

  it('camera status, relayed by each api process from the database, reaches each console once', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const camera = await http(a, 'POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/s', enabled: false } });
    assert.equal(camera.status, 201, JSON.stringify(camera.body));
    const onA = await open('camera console on A', a, await mintToken(a, 'Cam A'));
    const onB = await open('camera console on B', b, await mintToken(a, 'Cam B'));
    const sequence = ['starting', 'online', 'stalled', 'online'] as const;
    for (const status of sequence) {
      // As ingest (in a worker process) records them: a transaction, NOTIFY on commit.
      await one!.handle.transaction((repos) => repos.cameras.recordStatus({ cameraId: camera.body.id, status, fps: null, at: new Date() }));
    }
    for (const c of [onA, onB]) {
      await waitFor(`${c.name}: 4 camera events`, () => (c.cameras.length >= 4 ? true : undefined), 30_000, 50);
    }
    await one!.handle.transaction((repos) => repos.cameras.recordStatus({ cameraId: camera.body.id, status: 'offline', fps: null, at: new Date() }));
    for (const c of [onA, onB]) {
      await waitFor(`${c.name}: the 5th camera event`, () => (c.cameras.some((e) => e.status === 'offline') ? true : undefined), 30_000, 50);
      assert.deepEqual(c.cameras.map((e) => e.status), [...sequence, 'offline'], `${c.name}: each once, in order`);
    }
  });

  it('an acknowledgement on A (HTTP, and the socket answer) arrives as alert.status on B, once', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const desk = await mintToken(a, 'Ack desk');
    // The console answers `{ acknowledge: true }` to the first alert it receives while told to
    // (the alert can arrive before the raising transaction's promise resolves here).
    const known = new Set<string>();
    let answerNext = false;
    const acker = await open('acking console on A', a, await mintToken(a, 'Socket desk'), (e) => {
      if (!answerNext || known.has(e.id)) return false;
      answerNext = false;
      return true;
    });
    const watcher = await open('watching console on B', b, await mintToken(b, 'Watch B'));

    const viaHttp = await raise(one!);
    known.add(viaHttp);
    await waitFor('the alert on B', () => (watcher.alerts.some((e) => e.id === viaHttp) ? true : undefined), 30_000, 50);
    const acked = await http(a, 'POST', `/api/alerts/${viaHttp}/ack`, { token: desk.token });
    assert.equal(acked.status, 200, JSON.stringify(acked.body));
    const fromHttp = await waitFor('alert.status (HTTP ack on A) on B', () => watcher.statusesOf(viaHttp)[0], 10_000, 50).catch(explain([a, b], [acker, watcher]));
    assert.deepEqual([fromHttp.status, fromHttp.by], ['acknowledged', 'Ack desk']);

    await waitFor('the alert on A', () => (acker.alerts.some((e) => e.id === viaHttp) ? true : undefined), 30_000, 50);
    answerNext = true;
    const viaSocket = await raise(one!);
    const fromSocket = await waitFor('alert.status (socket ack on A) on B', () => watcher.statusesOf(viaSocket)[0], 30_000, 50).catch(explain([a, b], [acker, watcher]));
    assert.deepEqual([fromSocket.status, fromSocket.by], ['acknowledged', 'Socket desk']);
    assert.equal((await one!.handle.repos.alerts.findById(viaSocket))!.status, 'acknowledged');

    // A later change (resolve on B) arrives on both after the others: nothing was pushed twice.
    const resolved = await http(b, 'POST', `/api/alerts/${viaHttp}/resolve`, { token: desk.token });
    assert.equal(resolved.status, 200);
    for (const c of [acker, watcher]) {
      await waitFor(`${c.name}: resolved`, () => (c.statusesOf(viaHttp).some((s) => s.status === 'resolved') ? true : undefined), 10_000, 50);
      assert.deepEqual(c.statusesOf(viaHttp).map((s) => s.status), ['acknowledged', 'resolved'], c.name);
      assert.deepEqual(c.statusesOf(viaSocket).map((s) => s.status), ['acknowledged'], c.name);
    }
  });

  it('revoking a token on A cuts its socket on B at once (not at the 30 s re-check)', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const tablet = await mintToken(a, 'Gate tablet');
    const onB = await open('token console on B', b, tablet);
    const onA = await open('token console on A', a, tablet);
    const bystander = await open('other token on B', b, await mintToken(a, 'Other desk'));
    const revokedAt = Date.now();
    assert.equal((await http(a, 'DELETE', `/api/tokens/${tablet.id}`)).status, 200);
    const ms = await cutWithin(onB, revokedAt);
    await cutWithin(onA, revokedAt);
    console.log(`token revoked on A: socket on B cut after ${ms} ms`);
    assert.equal(bystander.cut, null, 'a socket of another token stays');
    assert.ok(!b.output().includes(RECHECK_LOG), 'B cut it on the revocation, not by its re-check');
  });

  it('signing out everywhere, or disabling the account, on A cuts the person\'s consoles on B', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const password = 'quiet harbour ledger';
    for (const username of ['guard', 'nightguard']) {
      const res = await http(a, 'POST', '/api/users', { body: { username, displayName: username, role: 'security', password } });
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    // Sign-out everywhere from another session of the same person.
    const console1 = await signIn(a, 'guard', password);
    const onB = await open('session console on B', b, { cookie: console1.cookie });
    const other = await signIn(a, 'guard', password);
    let since = Date.now();
    assert.equal((await http(a, 'POST', '/api/auth/sign-out-everywhere', { cookie: other.cookie, csrf: other.csrf })).status, 204);
    console.log(`sign-out-everywhere on A: session socket on B cut after ${await cutWithin(onB, since)} ms`);

    // Disabling: the person's sessions and the tokens they hold.
    const users = (await http(a, 'GET', '/api/users')).body as Array<{ id: string; username: string }>;
    const night = users.find((u) => u.username === 'nightguard')!;
    const session = await signIn(a, 'nightguard', password);
    const sessionOnB = await open('disabled user session on B', b, { cookie: session.cookie });
    const tokenOnB = await open('disabled user token on B', b, await mintToken(a, 'Night tablet', night.id));
    since = Date.now();
    assert.equal((await http(a, 'PATCH', `/api/users/${night.id}`, { body: { disabled: true } })).status, 200);
    console.log(`account disabled on A: session socket on B cut after ${await cutWithin(sessionOnB, since)} ms, token socket after ${await cutWithin(tokenOnB, since)} ms`);
    assert.ok(!b.output().includes(RECHECK_LOG), 'B cut them on the announcement, not by its re-check');
  });

  it('refresh progress, known to the process that runs the refresh, reaches admin consoles on both processes', async () => {
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const runs: Array<Array<{ id: string; status: string }>> = [[], []];
    const admins = await Promise.all([a, b].map(async (node, i) => {
      const c = await open(`admin console on ${node.name}`, node, { token: node.adminToken });
      c.socket.on('refresh.progress', (run: { id: string; status: string }) => runs[i]!.push(run));
      return c;
    }));
    const res = await http(a, 'POST', '/api/model-versions/refresh');
    assert.ok(res.status < 300, JSON.stringify(res.body));
    for (const [i, c] of admins.entries()) {
      await waitFor(`${c.name}: refresh.progress`, () => (runs[i]!.length > 0 ? true : undefined), 30_000, 50);
    }
    console.log(`refresh.progress on A: ${JSON.stringify(runs[0]!.map((r) => r.status))}; on B: ${JSON.stringify(runs[1]!.map((r) => r.status))}`);
  });

  it('an escalation reaches the consoles of both processes once; two installations on one Redis never hear each other', async () => {
    const [c, d] = two!.nodes as [ClusterNode, ClusterNode];
    const [a, b] = one!.nodes as [ClusterNode, ClusterNode];
    const onC = await open('site two console on C', c, await mintToken(c, 'Desk C'));
    const onD = await open('site two console on D', d, await mintToken(c, 'Desk D'));
    const onA = await open('site one console on A', a, await mintToken(a, 'Desk A2'));
    const onB = await open('site one console on B', b, await mintToken(a, 'Desk B2'));

    // Deadlines are the file's usual 30 s: in the full suite these processes share 2 cores with
    // inference-heavy tests, and one 10 s wait for a resolve pushed through Redis ran out once.
    const overdue = await raise(two!);
    for (const x of [onC, onD]) {
      const escalated = await waitFor(`${x.name}: the escalation`, () => x.statusesOf(overdue)[0], 30_000, 50).catch(explain([c, d], [onC, onD]));
      assert.deepEqual([escalated.status, escalated.by, escalated.reason], ['escalated', 'system', 'unacknowledged']);
    }
    // A change on site one, then a last one on site two: each console's channel has delivered
    // everything published before (Redis keeps publish order per subscriber), so by then a console
    // of the other site would have heard the first.
    const siteOne = await raise(one!);
    await waitFor('site one alert on B', () => (onB.alerts.some((e) => e.id === siteOne) ? true : undefined), 30_000, 50);
    assert.equal((await http(a, 'POST', `/api/alerts/${siteOne}/resolve`)).status, 200);
    await waitFor('site one status on B', () => onB.statusesOf(siteOne)[0], 30_000, 50);
    assert.equal((await http(d, 'POST', `/api/alerts/${overdue}/resolve`)).status, 200);
    for (const x of [onC, onD]) {
      await waitFor(`${x.name}: resolved`, () => (x.statusesOf(overdue).some((s) => s.status === 'resolved') ? true : undefined), 30_000, 50);
      assert.deepEqual(x.statusesOf(overdue).map((s) => s.status), ['escalated', 'resolved'], `${x.name}: escalated once`);
    }
    await waitFor('site one status on A', () => onA.statusesOf(siteOne)[0], 30_000, 50);
    const siteTwoIds = new Set((await two!.handle.repos.alerts.after('0', 100)).map((r) => r.id));
    const siteOneIds = new Set((await one!.handle.repos.alerts.after('0', 1000)).map((r) => r.id));
    for (const x of [onC, onD]) assert.deepEqual(x.statuses.filter((s) => !siteTwoIds.has(s.id)), [], `${x.name} heard site one`);
    for (const x of [onA, onB]) assert.deepEqual(x.statuses.filter((s) => !siteOneIds.has(s.id)), [], `${x.name} heard site two`);
    for (const x of [onA, onB, onC, onD]) assert.ok(x.statuses.length > 0, `${x.name} heard its own site`);
  });
});

describe('Redis unreachable: the api process runs on, its own consoles served, health degraded', { timeout: 180_000 }, () => {
  let db: ClusterDatabase | undefined;
  let node: ClusterNode | undefined;
  let handle: Database | undefined;
  after(async () => {
    await handle?.close().catch(() => undefined);
    await node?.stop();
    await db?.cleanup();
  });

  it('boots, says degraded, pushes to its own consoles, logs without the password', async () => {
    db = await createClusterDatabase();
    // Nothing listens on port 1; the password must never reach the log.
    node = await startNode({ name: 'lonely-api', roles: ['api'], databaseUrl: db.url, redisUrl: 'redis://:hunter2-secret@127.0.0.1:1/0', env: { LOG_LEVEL: 'info' } });
    handle = await Database.open({ kind: 'postgres', url: db.url }, { migrate: false });
    const health = await http(node, 'GET', '/api/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'degraded');
    assert.deepEqual(health.body.realtime, { adapter: 'redis', connected: false });

    const person = await http(node, 'POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } });
    const desk = await mintToken(node, 'Desk');
    const c = await Console.open('console', node, desk);
    try {
      const id = (await handle.transaction((repos) => repos.alerts.raise({ cameraId: null, personId: person.body.id, list: 'watchlist', score: 0.9 }))).id;
      await waitFor('the alert', () => (c.alerts.some((e) => e.id === id) ? true : undefined), 30_000, 50);
      assert.equal((await http(node, 'POST', `/api/alerts/${id}/ack`, { token: desk.token })).status, 200);
      const status = await waitFor('alert.status from this process', () => c.statusesOf(id)[0], 10_000, 50);
      assert.equal(status.status, 'acknowledged');
      const revokedAt = Date.now();
      assert.equal((await http(node, 'DELETE', `/api/tokens/${desk.id}`)).status, 200);
      await cutWithin(c, revokedAt);
    } finally {
      c.close();
    }
    assert.equal(node.child.exitCode, null, 'still running');
    assert.match(node.output(), /Redis unreachable/);
    assert.ok(!node.output().includes('hunter2-secret'), 'the Redis password is not logged');
  });
});
