import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Database, LockSession } from '@vigil/persistence';
import { JOB_LOCK_KEYS, Leadership } from './leadership';

/** A lock server in memory: session locks, freed when the session ends, as PostgreSQL does. */
class FakeServer {
  readonly owners = new Map<number, FakeSession>();
  failConnects = 0;
  opened: FakeSession[] = [];
  db(): Database {
    return {
      lockSession: async () => {
        if (this.failConnects > 0) {
          this.failConnects--;
          throw new Error('connection refused');
        }
        const s = new FakeSession(this);
        this.opened.push(s);
        return s;
      },
    } as unknown as Database;
  }
}

class FakeSession implements LockSession {
  ended = false;
  /** A ping that never answers (half-open connection). */
  silent = false;
  private lost?: (error?: unknown) => void;
  constructor(private readonly server: FakeServer) {}
  async tryLock(key: number) {
    if (this.ended) throw new Error('connection ended');
    const owner = this.server.owners.get(key);
    if (owner && owner !== this) return false;
    this.server.owners.set(key, this);
    return true;
  }
  async unlock(key: number) {
    if (this.server.owners.get(key) === this) this.server.owners.delete(key);
  }
  async ping(timeoutMs: number) {
    if (this.ended) throw new Error('connection ended');
    if (this.silent) {
      await new Promise((r) => setTimeout(r, timeoutMs));
      throw new Error('no answer');
    }
  }
  onLost(listener: (error?: unknown) => void) {
    this.lost = listener;
  }
  /** The server ends the session (its locks free); the client hears of it. */
  drop(): void {
    this.release();
    this.lost?.(new Error('terminated'));
  }
  /** The server ends the session without the client hearing anything (partition). */
  release(): void {
    this.ended = true;
    for (const [key, owner] of this.server.owners) if (owner === this) this.server.owners.delete(key);
  }
  async close() {
    this.release();
  }
}

function job() {
  const calls: string[] = [];
  return { calls, handlers: { start: () => void calls.push('start'), stop: () => void calls.push('stop') } };
}

const FAST = { campaignIntervalMs: 60_000, pingIntervalMs: 0, pingTimeoutMs: 20 };

describe('Leadership', () => {
  it('of two processes exactly one leads a job; each job has its own lock', async () => {
    const server = new FakeServer();
    const a = new Leadership(server.db(), { node: 'a', ...FAST });
    const b = new Leadership(server.db(), { node: 'b', ...FAST });
    const [ja, jb, ra, rb] = [job(), job(), job(), job()];
    a.run('escalator', ja.handlers);
    await a.tick();
    b.run('escalator', jb.handlers);
    b.run('retention', rb.handlers);
    await b.tick();
    a.run('retention', ra.handlers);
    for (let i = 0; i < 3; i++) {
      await a.tick();
      await b.tick();
    }
    assert.deepEqual([a.isLeader('escalator'), b.isLeader('escalator'), a.isLeader('retention'), b.isLeader('retention')], [true, false, false, true]);
    assert.deepEqual([ja.calls, jb.calls, ra.calls, rb.calls], [['start'], [], [], ['start']]);
    assert.equal(server.owners.get(JOB_LOCK_KEYS.escalator), server.opened[0], 'all of a process\'s locks on its one session');
    await a.close();
    await b.close();
  });

  it('a lost connection stops the job at once; the other process takes over; the old one reconnects and waits', async () => {
    const server = new FakeServer();
    const a = new Leadership(server.db(), { node: 'a', ...FAST });
    const b = new Leadership(server.db(), { node: 'b', ...FAST });
    const [ja, jb] = [job(), job()];
    a.run('escalator', ja.handlers);
    await a.tick();
    b.run('escalator', jb.handlers);
    await b.tick();
    server.opened[0]!.drop();
    await new Promise((r) => setImmediate(r));
    assert.equal(a.isLeader('escalator'), false, 'fenced as soon as the connection is lost');
    assert.deepEqual(ja.calls, ['start', 'stop']);
    await b.tick();
    assert.equal(b.isLeader('escalator'), true);
    await new Promise((r) => setTimeout(r, 600)); // reconnect backoff
    await a.tick();
    assert.equal(server.opened.length, 3, 'a reconnected');
    assert.equal(a.isLeader('escalator'), false, 'and does not lead while b does');
    await a.close();
    await b.close();
  });

  it('a leader whose connection goes silent (half-open) fences itself when its ping gets no answer', async () => {
    const server = new FakeServer();
    const a = new Leadership(server.db(), { node: 'a', ...FAST });
    const b = new Leadership(server.db(), { node: 'b', ...FAST });
    const [ja, jb] = [job(), job()];
    a.run('kpi-monitor', ja.handlers);
    await a.tick();
    b.run('kpi-monitor', jb.handlers);
    await b.tick();
    server.opened[0]!.silent = true;
    await b.tick();
    assert.equal(b.isLeader('kpi-monitor'), false, 'the server still holds the lock for the silent session');
    await a.tick();
    assert.equal(a.isLeader('kpi-monitor'), false);
    assert.deepEqual(ja.calls, ['start', 'stop']);
    server.opened[0]!.release(); // the server's keepalive / idle_session_timeout ends the session
    await b.tick();
    assert.equal(b.isLeader('kpi-monitor'), true);
    await a.close();
    await b.close();
  });

  it('a failed connection is retried with backoff; close stops the job and frees the lock; withdrawing one job frees only its lock', async () => {
    const server = new FakeServer();
    server.failConnects = 1;
    const a = new Leadership(server.db(), { node: 'a', ...FAST });
    const ja = job();
    const withdraw = a.run('retention', ja.handlers);
    a.run('escalator', job().handlers);
    await a.tick();
    assert.equal(a.isLeader('retention'), false, 'no connection yet');
    await a.tick();
    assert.equal(server.opened.length, 0, 'not before the backoff');
    await new Promise((r) => setTimeout(r, 600));
    await a.tick();
    assert.equal(a.isLeader('retention'), true);
    a.recordRun('retention');
    assert.deepEqual(a.status().map((s) => [s.job, s.leader, s.runs]), [['retention', true, 1], ['escalator', true, 0]]);
    await withdraw();
    assert.deepEqual(ja.calls, ['start', 'stop']);
    assert.deepEqual([...server.owners.keys()], [JOB_LOCK_KEYS.escalator]);
    await a.close();
    assert.equal(server.owners.size, 0);
    assert.equal(a.isLeader('escalator'), false);
  });
});
