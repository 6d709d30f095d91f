// @engine-independent: static files, headers and routing; no SQL beyond the boot every e2e file does on both engines
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { WEB_ROOT } from '../../apps/server/src/web/web-app';
import { startTestServer, TestServer } from '../support/test-server';

let t: TestServer;
const page = (p: string, accept = 'text/html') => fetch(`${t.server.url}${p}`, { headers: { accept } });

describe('the web consoles are served at / without shadowing the API, sockets or metrics', { timeout: 120_000 }, () => {
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t?.stop());

  it('answers every console path with the app shell, public and locked to this origin', async () => {
    for (const p of ['/', '/kiosk', '/review', '/review/metrics', '/admin/tokens']) {
      const res = await page(p);
      assert.equal(res.status, 200, p);
      assert.match(res.headers.get('content-type')!, /^text\/html/);
      assert.match(await res.text(), /<div id="root"><\/div>/);
      const csp = res.headers.get('content-security-policy')!;
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /connect-src 'self'/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
    }
  });

  it('serves the hashed bundle with a long cache, and nothing else from disk', async () => {
    const script = readdirSync(path.join(WEB_ROOT, 'assets')).find((f) => f.endsWith('.js'))!;
    const res = await page(`/assets/${script}`, '*/*');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /javascript/);
    assert.match(res.headers.get('cache-control')!, /immutable/);
    assert.equal((await page('/assets/missing.js', '*/*')).status, 404);
    assert.equal((await page('/index.html')).status, 404);
    assert.equal((await fetch(`${t.server.url}/kiosk`, { method: 'POST' })).status, 404);
  });

  it('ships and serves no source maps of the consoles', async () => {
    const assets = readdirSync(path.join(WEB_ROOT, 'assets'));
    assert.deepEqual(assets.filter((f) => f.endsWith('.map')), [], 'the build writes no source maps');
    const script = assets.find((f) => f.endsWith('.js'))!;
    assert.doesNotMatch(await (await page(`/assets/${script}`, '*/*')).text(), /sourceMappingURL=/);
    const leftBehind = path.join(WEB_ROOT, 'assets', `left-behind-${process.pid}.js.map`);
    writeFileSync(leftBehind, '{"version":3,"sources":["secret.tsx"]}');
    try {
      assert.equal((await page(`/assets/${path.basename(leftBehind)}`, '*/*')).status, 404, 'a map left by a development build is not served');
    } finally {
      rmSync(leftBehind, { force: true });
    }
  });

  it('leaves /api, /socket.io and /metrics to the server, and the data behind the guard', async () => {
    const unknown = await page('/api/nothing-here');
    assert.equal(unknown.status, 404);
    assert.match(unknown.headers.get('content-type')!, /application\/json/);
    const persons = await page('/api/persons', 'text/html');
    assert.equal(persons.status, 401, 'a browser navigation to the API still needs a token');
    const metrics = await page('/metrics', 'text/html');
    assert.equal(metrics.status, 401, '/metrics belongs to the server and needs its token');
    assert.match(metrics.headers.get('content-type')!, /application\/json/);
    const socket = await page('/socket.io/?EIO=4&transport=polling', '*/*');
    assert.notEqual(socket.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal((await page('/api/health', 'text/html')).status, 200);
  });
});
