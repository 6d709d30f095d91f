import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io, Socket } from 'socket.io-client';
import type { AlertEvent, AlertsMoreEvent, AlertStatusEvent, SocketClosingEvent } from '@vigil/contracts';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { connectSocket, until } from '../support/socket-client';
import { startTestServer, TestServer } from '../support/test-server';

let t: TestServer;
let alerts: AlertsService;
let personId: string;
let cameraId: string;
let securityToken: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Small socket bounds, so that the tests can exceed them (the 50-alert replay above stays within). */
const REPLAY_MAX = 60;
const UNACKED_MAX = 70;
const SOCKETS_PER_PRINCIPAL = 3;

/** A dashboard-like client: keeps alerts by id (de-duplicates), acks receipt, remembers the offset. */
class Dashboard {
  readonly received: AlertEvent[] = [];
  readonly ids = new Set<string>();
  socket!: Socket;
  offset: string | undefined;

  connect(offset?: string): Promise<void> {
    this.socket = io(t.server.url, { auth: { token: securityToken, ...(offset !== undefined ? { offset } : {}) }, transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.on('alert', (event: AlertEvent, ack: () => void) => {
      ack();
      if (this.ids.has(event.id)) return;
      this.ids.add(event.id);
      this.received.push(event);
      this.offset = event.seq;
    });
    return new Promise((resolve, reject) => {
      this.socket.once('welcome', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  async waitFor(count: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`received ${this.received.length}/${count} alerts`);
      await sleep(50);
    }
  }
}

async function raise(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await alerts.raise({ cameraId, personId, list: 'watchlist', score: 0.9 })).id);
  return ids;
}

describe(`alerts: durable, ordered, replayed after a disconnect (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 180_000 }, () => {
  before(async () => {
    t = await startTestServer({
      VIGIL_ALERT_ESCALATE_SECONDS: '3',
      VIGIL_SOCKET_REPLAY_MAX: String(REPLAY_MAX),
      VIGIL_SOCKET_UNACKED_MAX: String(UNACKED_MAX),
      VIGIL_SOCKETS_PER_PRINCIPAL: String(SOCKETS_PER_PRINCIPAL),
    });
    alerts = t.server.app.get(AlertsService);
    personId = (await t.api('POST', '/api/persons', { body: { name: 'Banned Bart', list: 'watchlist' } })).body.id;
    cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/s', enabled: false } })).body.id;
    securityToken = (await t.api('POST', '/api/tokens', { body: { name: 'Desk', role: 'security' } })).body.token;
  });
  after(async () => t?.stop());

  it('a live client receives committed alerts in seq order, with the contract fields', async () => {
    const live = new Dashboard();
    await live.connect();
    const ids = await raise(3);
    await live.waitFor(3);
    assert.deepEqual(live.received.map((a) => a.id), ids);
    const seqs = live.received.map((a) => BigInt(a.seq));
    assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < seqs[2]!);
    const a = live.received[0]!;
    assert.equal(a.personName, 'Banned Bart');
    assert.equal(a.list, 'watchlist');
    assert.equal(a.cameraId, cameraId);
    assert.equal(a.status, 'new');
    live.socket.close();
  });

  it('a client cut off while 50 alerts are raised gets all of them, in order, after reconnecting with its offset', async () => {
    const client = new Dashboard();
    await client.connect('0');
    const before = (await t.api('GET', '/api/alerts?after=0&limit=500')).body.length;
    await client.waitFor(before);
    client.socket.close();
    const missed = await raise(50);
    await sleep(300);
    await client.connect(client.offset);
    const more = raise(5); // alerts keep coming while it catches up
    await client.waitFor(before + 55);
    const got = client.received.slice(before).map((a) => a.id);
    assert.deepEqual(got, [...missed, ...(await more)]);
    const seqs = client.received.map((a) => BigInt(a.seq));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1]! < seqs[i]!, 'in seq order');
    client.socket.close();
  });

  it('concurrent raises commit in seq order (readers resuming after a seq never skip one)', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => alerts.raise({ cameraId, personId, list: 'watchlist', score: 0.8 })));
    const listed = (await t.api('GET', '/api/alerts?after=0&limit=500')).body as AlertEvent[];
    const ours = listed.filter((a) => results.some((r) => r.id === a.id));
    assert.equal(ours.length, 20);
    const seqs = listed.map((a) => BigInt(a.seq));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1]! < seqs[i]!);
  });

  it('GET /api/alerts pages by offset and validates it', async () => {
    const all = (await t.api('GET', '/api/alerts?after=0&limit=500')).body as AlertEvent[];
    const page = (await t.api('GET', `/api/alerts?after=${all[9]!.seq}&limit=5`)).body as AlertEvent[];
    assert.deepEqual(page.map((a) => a.id), all.slice(10, 15).map((a) => a.id));
    assert.equal((await t.api('GET', '/api/alerts?after=-1')).status, 400);
    assert.equal((await t.api('GET', '/api/alerts?after=abc')).status, 400);
    // Past a bigint: refused with a message (it used to reach SQL and answer 500); the largest bigint is a valid, empty page.
    const huge = await t.api('GET', '/api/alerts?after=9999999999999999999');
    assert.equal(huge.status, 400, JSON.stringify(huge.body));
    assert.match(huge.body.message, /after: must be a non-negative integer up to 9223372036854775807/);
    assert.deepEqual((await t.api('GET', '/api/alerts?after=9223372036854775807')).body, []);
    const kiosk = (await t.api('POST', '/api/tokens', { body: { name: 'Kiosk', role: 'kiosk' } })).body.token;
    assert.equal((await t.api('GET', '/api/alerts', { token: kiosk })).status, 403);
  });

  it('acknowledge, escalate and resolve follow the allowed transitions and are audited with the user', async () => {
    const [id] = await raise(1);
    const acked = await t.api('POST', `/api/alerts/${id}/ack`, { token: securityToken });
    assert.equal(acked.status, 200);
    assert.equal(acked.body.status, 'acknowledged');
    assert.equal((await t.api('POST', `/api/alerts/${id}/ack`, { token: securityToken })).status, 409);
    assert.equal((await t.api('POST', `/api/alerts/${id}/escalate`, { token: securityToken })).body.status, 'escalated');
    assert.equal((await t.api('POST', `/api/alerts/${id}/resolve`, { token: securityToken })).body.status, 'resolved');
    assert.equal((await t.api('POST', `/api/alerts/${id}/escalate`, { token: securityToken })).status, 409);
    assert.equal((await t.api('POST', '/api/alerts/00000000-0000-4000-8000-000000000000/ack', { token: securityToken })).status, 404);
    const audit = await t.server.database.repos.audit.forObject('alert', id!);
    const acks = audit.filter((a) => a.action === 'alert.acknowledge');
    assert.equal(acks.length, 1, 'exactly one audit row for the acknowledgement');
    assert.equal(acks[0]!.actorName, 'Desk');
    assert.equal(acks[0]!.actorRole, 'security');
  });

  it('an alert nobody acknowledges is escalated by the system after the configured delay, pushed and audited', async () => {
    const watcher = new Dashboard();
    await watcher.connect();
    const statuses: AlertStatusEvent[] = [];
    watcher.socket.on('alert.status', (e: AlertStatusEvent) => statuses.push(e));
    const [id] = await raise(1);
    await sleep(1_000);
    assert.equal((await t.api('GET', `/api/alerts?after=0&limit=500`)).body.find((a: AlertEvent) => a.id === id).status, 'new', 'not escalated before the delay');
    const event = await until('escalation pushed', 15_000, () => statuses.find((e) => e.id === id));
    assert.equal(event.status, 'escalated');
    assert.equal(event.by, 'system');
    assert.equal(event.reason, 'unacknowledged');
    const audit = (await t.server.database.repos.audit.forObject('alert', id!)).filter((a) => a.action === 'alert.escalate');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actorRole, 'system');
    // Staff can still acknowledge an escalated alert.
    assert.equal((await t.api('POST', `/api/alerts/${id}/ack`, { token: securityToken })).body.status, 'acknowledged');
    watcher.socket.close();
  });

  it('a console acknowledges through the socket ack callback: acknowledged, audited with its user, never escalated', async () => {
    const statuses: AlertStatusEvent[] = [];
    const socket = await connectSocket(t.server.url, { token: securityToken }, (s) => {
      s.on('alert.status', (e: AlertStatusEvent) => statuses.push(e));
      s.on('alert', (_event: AlertEvent, ack: (reply?: { acknowledge?: boolean }) => void) => ack({ acknowledge: true }));
    });
    const [id] = await raise(1);
    const event = await until('acknowledgement pushed', 10_000, () => statuses.find((e) => e.id === id));
    assert.equal(event.status, 'acknowledged');
    assert.equal(event.by, 'Desk');
    await sleep(4_500); // past the escalation delay
    const row = (await t.api('GET', `/api/alerts?after=0&limit=500`)).body.find((a: AlertEvent) => a.id === id);
    assert.equal(row.status, 'acknowledged', 'an acknowledged alert is not escalated');
    const audit = await t.server.database.repos.audit.forObject('alert', id!);
    assert.deepEqual(audit.filter((a) => a.action !== 'alert.raise').map((a) => [a.action, a.actorName]), [['alert.acknowledge', 'Desk']]);
    socket.close();
  });

  it('GET /api/alerts/board: every open alert and the newest ones, in seq order, for a console\'s first screen', async () => {
    const [oldOpen] = await raise(1);
    const closed = await raise(3);
    for (const id of closed) await t.api('POST', `/api/alerts/${id}/resolve`, { token: securityToken });
    const newest = await raise(2);
    const board = (await t.api('GET', '/api/alerts/board?recent=2', { token: securityToken })).body as AlertEvent[];
    const ids = board.map((a) => a.id);
    assert.ok(ids.includes(oldOpen!), 'an old alert still open is on the board');
    assert.ok(newest.every((id) => ids.includes(id)), 'the newest are on the board');
    assert.ok(!ids.includes(closed[0]!), 'an old resolved alert is not');
    const seqs = board.map((a) => BigInt(a.seq));
    for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i - 1]! < seqs[i]!);
    assert.equal((await t.api('GET', '/api/alerts/board?recent=0', { token: securityToken })).status, 400);
    const kiosk = (await t.api('POST', '/api/tokens', { body: { name: 'Board kiosk', role: 'kiosk' } })).body.token;
    assert.equal((await t.api('GET', '/api/alerts/board', { token: kiosk })).status, 403);
  });

  it('a console reconnecting far behind gets the newest alerts only, in order, after an alerts.more naming the rest', async () => {
    let all = (await t.api('GET', '/api/alerts?after=0&limit=500')).body as AlertEvent[];
    if (all.length < REPLAY_MAX + 3) await raise(REPLAY_MAX + 3 - all.length);
    all = (await t.api('GET', '/api/alerts?after=0&limit=500')).body as AlertEvent[];
    const seen: Array<'more' | 'alert'> = [];
    const markers: AlertsMoreEvent[] = [];
    const got: AlertEvent[] = [];
    const socket = await connectSocket(t.server.url, { token: securityToken, offset: '0' }, (s) => {
      s.on('alerts.more', (e: AlertsMoreEvent) => {
        seen.push('more');
        markers.push(e);
      });
      s.on('alert', (e: AlertEvent, ack: () => void) => {
        ack();
        seen.push('alert');
        if (!got.some((g) => g.id === e.id)) got.push(e);
      });
    });
    await until('the replay window', 15_000, () => (got.length >= REPLAY_MAX ? true : undefined));
    // A live alert after the replay: whatever the replay sent has arrived before it.
    const [probe] = await raise(1);
    await until('the live probe', 15_000, () => (got.some((g) => g.id === probe) ? true : undefined));
    assert.deepEqual(got.map((a) => a.id), [...all.slice(-REPLAY_MAX).map((a) => a.id), probe], 'exactly the newest window, oldest first, then live');
    const leftOut = all.slice(0, -REPLAY_MAX);
    assert.deepEqual(markers, [{ afterSeq: '0', throughSeq: leftOut.at(-1)!.seq, count: leftOut.length, atLeast: false }]);
    assert.equal(seen[0], 'more', 'the marker comes before the window');
    // What was left out is paged over HTTP.
    const paged = (await t.api('GET', `/api/alerts?after=${markers[0]!.afterSeq}&limit=500`)).body as AlertEvent[];
    assert.deepEqual(paged.filter((a) => BigInt(a.seq) <= BigInt(markers[0]!.throughSeq)).map((a) => a.id), leftOut.map((a) => a.id));
    socket.close();
  });

  it('a console that stops answering is cut past the unanswered limit, told why, and gets the rest from its offset', async () => {
    const got: AlertEvent[] = [];
    let closing: SocketClosingEvent | undefined;
    let cut: string | undefined;
    await connectSocket(t.server.url, { token: securityToken }, (s) => {
      s.on('alert', (e: AlertEvent) => got.push(e)); // never calls ack
      s.on('closing', (e: SocketClosingEvent) => (closing = e));
      s.on('disconnect', (reason: string) => (cut = reason));
    });
    const raised = await raise(UNACKED_MAX + 5);
    assert.equal(await until('the stalled socket cut', 30_000, () => cut), 'io server disconnect');
    assert.equal(closing?.reason, 'alert-backlog');
    assert.match(closing!.message, /reconnect with auth\.offset/);
    assert.deepEqual(got.map((a) => a.id), raised.slice(0, UNACKED_MAX), 'the limit was sent, in order, and nothing past it');

    const back = new Dashboard();
    await back.connect(got.at(-1)!.seq);
    await back.waitFor(5);
    assert.deepEqual(back.received.map((a) => a.id), raised.slice(UNACKED_MAX), 'the alerts it was not sent are replayed');
    back.socket.close();
  });

  it(`refuses a token's socket number ${SOCKETS_PER_PRINCIPAL + 1} with a connect_error that says why; other tokens and freed slots are fine`, async () => {
    const token = (await t.api('POST', '/api/tokens', { body: { name: 'Wall', role: 'security' } })).body.token as string;
    /** Connects, or returns the connect_error's message (the socket closed). */
    const attempt = async (auth: Record<string, unknown>): Promise<Socket | string> => {
      const s = io(t.server.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      return new Promise((resolve) => {
        s.once('welcome', () => resolve(s));
        s.once('connect_error', (e: Error) => {
          s.close();
          resolve(e.message);
        });
      });
    };
    const open: Socket[] = [];
    for (let i = 0; i < SOCKETS_PER_PRINCIPAL; i++) open.push(await connectSocket(t.server.url, { token }));
    const refused = await attempt({ token });
    if (typeof refused !== 'string') refused.close();
    assert.equal(typeof refused, 'string', `socket ${SOCKETS_PER_PRINCIPAL + 1} of one token was admitted`);
    assert.match(refused as string, /^too many connections: this token already has 3 open .*close a console tab or window/);
    const other = await attempt({ token: securityToken });
    assert.notEqual(typeof other, 'string', 'another token is not affected');
    (other as Socket).close();
    open.pop()!.close();
    const admitted = await until('a slot freed by the closed socket', 10_000, async () => {
      const s = await attempt({ token });
      return typeof s === 'string' ? undefined : s;
    });
    admitted.close();
    for (const s of open) s.close();
  });
});
