import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnServer } from '../support/server-process';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-proc-'));

async function api(url: string, method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(`${url}${p}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}

describe('the server as a process on the embedded database', { timeout: 240_000 }, () => {
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('first start prints an admin token once, keeps data across a restart, and stops cleanly on SIGTERM', async () => {
    const first = spawnServer({ VIGIL_DATA_DIR: dataDir });
    const url = await first.ready;
    const token = /admin token \(shown only this once, store it now\): (vgl_\S+)/.exec(first.output())?.[1];
    assert.ok(token, `no admin token in the banner:\n${first.output()}`);
    assert.equal((await api(url, 'GET', '/api/health')).status, 200);
    const created = await api(url, 'POST', '/api/persons', token, { name: 'Persisted Pat', list: 'watchlist' });
    assert.equal(created.status, 201);

    // A second process on the same folder is refused with a clear message, and changes nothing.
    const second = spawnServer({ VIGIL_DATA_DIR: dataDir });
    const { code } = await second.exited;
    assert.equal(code, 3);
    assert.match(second.output(), /Another Vigil process \(pid \d+\) is using the embedded database/);
    assert.match(second.output(), /VIGIL_DATA_DIR/);

    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    assert.equal(stopped.code, 0, first.output());
    assert.ok(!existsSync(path.join(dataDir, 'vigil.lock')), 'lock file released');
    assert.ok(!first.output().includes('"level":50'), `errors logged:\n${first.output()}`);

    const again = spawnServer({ VIGIL_DATA_DIR: dataDir });
    const url2 = await again.ready;
    assert.doesNotMatch(again.output(), /vgl_/, 'the admin token is never printed twice');
    const listed = await api(url2, 'GET', '/api/persons?q=Persisted', token);
    assert.equal(listed.status, 200);
    assert.deepEqual(listed.body.items.map((p: { id: string }) => p.id), [created.body.id]);
    again.child.kill('SIGTERM');
    assert.equal((await again.exited).code, 0);
  });

  it('takes over a stale lock left by a crashed process', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    writeFileSync(path.join(dataDir, 'vigil.lock'), `${dead.stdout.toString()}\n`);
    const server = spawnServer({ VIGIL_DATA_DIR: dataDir });
    await server.ready;
    server.child.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: 0, signal: null }, server.output());
  });

  it('refuses to start with invalid configuration, naming the variable', async () => {
    const bad = spawnServer({ VIGIL_DATA_DIR: dataDir, PORT: 'eighty', VIGIL_ROLES: 'api,web' });
    const { code } = await bad.exited;
    assert.equal(code, 2);
    assert.match(bad.output(), /PORT: must be an integer/);
    assert.match(bad.output(), /VIGIL_ROLES: may only contain api and worker/);
  });

  it('VIGIL_ADMIN_TOKEN becomes the admin token and replaces the generated one', async () => {
    const secret = 'env-admin-secret-abcdefghijklmnop';
    const server = spawnServer({ VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_TOKEN: secret });
    const url = await server.ready;
    assert.equal((await api(url, 'GET', '/api/persons', secret)).status, 200);
    assert.ok(!server.output().includes(secret), 'the secret is never printed');
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
  });
});
