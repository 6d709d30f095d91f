// @engine-independent: runs on the embedded database by design (npm start's default), whatever DATABASE_URL says.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { testClip } from '../support/clips';
import { RtspTestServer, rtspSkip } from '../support/rtsp-server';
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
    // Also the readable log format a terminal gets (LOG_FORMAT=auto on a TTY): same redaction.
    const server = spawnServer({ VIGIL_DATA_DIR: dataDir, VIGIL_ADMIN_TOKEN: secret, LOG_FORMAT: 'pretty', LOG_LEVEL: 'debug' });
    const url = await server.ready;
    assert.equal((await api(url, 'GET', '/api/persons', secret)).status, 200);
    // Refused (an unknown query parameter), and logged at warn with the value hidden.
    assert.equal((await api(url, 'GET', `/api/persons?token=${secret}`, secret)).status, 400);
    server.child.kill('SIGTERM');
    assert.equal((await server.exited).code, 0);
    const output = server.output();
    assert.ok(!output.includes(secret), 'the secret is never printed');
    assert.match(output, /\[\d\d:\d\d:\d\d\.\d{3}\] \S*WARN\S*: \S*request completed.*"url":"\/api\/persons\?token=\*\*\*"/, 'pretty lines: time, level, message, then the fields');
    assert.doesNotMatch(output, /^\{"level":/m, 'no JSON lines in the pretty format');
  });
});

function ffmpegProcessesMentioning(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('ffmpeg') || cmd.includes('/ffmpeg\0')) {
        if (cmd.includes(marker)) pids.push(Number(entry));
      }
    } catch {
      /* gone */
    }
  }
  return pids;
}

async function waitOnline(url: string, token: string, name: string, timeoutMs: number): Promise<{ id: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await api(url, 'GET', '/api/cameras', token);
    const cam = list.body?.items?.find((c: { name: string; status: string }) => c.name === name && c.status === 'online');
    if (cam) return cam;
    if (Date.now() > deadline) throw new Error(`${name} not online in ${timeoutMs} ms: ${JSON.stringify(list.body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('cameras and process lifetime', { skip: rtspSkip(), timeout: 300_000 }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vigil-proc-cam-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGTERM with a streaming and a hung camera exits within 10 s and leaves no ffmpeg behind', async () => {
    const rtsp = await RtspTestServer.start({ mounts: { '/hang': 'live:640x360@15' } });
    const clip = testClip(640, 360);
    const secret = 'env-admin-secret-abcdefghijklmnop';
    const server = spawnServer({ VIGIL_DATA_DIR: dir, VIGIL_ADMIN_TOKEN: secret, VIGIL_DEMO: '0', VIGIL_ALLOW_FILE_URLS: '1' });
    try {
      const url = await server.ready;
      assert.equal((await api(url, 'POST', '/api/cameras', secret, { name: 'Clip', url: pathToFileURL(clip).toString() })).status, 201);
      assert.equal((await api(url, 'POST', '/api/cameras', secret, { name: 'Hung', url: rtsp.url('/hang') })).status, 201);
      await waitOnline(url, secret, 'Clip', 30_000);
      await waitOnline(url, secret, 'Hung', 30_000);
      rtsp.pause(); // the camera's server stops answering: its ffmpeg hangs mid-read
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(ffmpegProcessesMentioning(clip).length, 1);
      const started = Date.now();
      server.child.kill('SIGTERM');
      const exited = await server.exited;
      const took = Date.now() - started;
      console.log(`# server exited ${took} ms after SIGTERM with cameras running`);
      assert.equal(exited.code, 0, server.output());
      assert.ok(took <= 10_000, `exit took ${took} ms`);
      assert.deepEqual(ffmpegProcessesMentioning(clip), []);
      assert.deepEqual(ffmpegProcessesMentioning(`:${rtsp.port}/hang`), []);
    } finally {
      rtsp.resume();
      await rtsp.stop();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  });

  it('first start registers the demo camera, which comes online', async () => {
    const demoDir = mkdtempSync(path.join(tmpdir(), 'vigil-demo-'));
    const server = spawnServer({ VIGIL_DATA_DIR: demoDir, VIGIL_DEMO: '' });
    try {
      const url = await server.ready;
      const token = /admin token \(shown only this once, store it now\): (vgl_\S+)/.exec(server.output())![1]!;
      const started = Date.now();
      const cam = await waitOnline(url, token, 'Demo camera', 150_000);
      console.log(`# demo camera online ${Date.now() - started} ms after the server listened (clip encoded on first start)`);
      assert.ok(cam.id);
      server.child.kill('SIGTERM');
      assert.equal((await server.exited).code, 0);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      rmSync(demoDir, { recursive: true, force: true });
    }
  });
});
