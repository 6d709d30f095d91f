import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io, Socket } from 'socket.io-client';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const METRICS_TOKEN = 'prometheus-scrape-secret-0123456789';
let t: TestServer;
let kioskToken: string;
let securityToken: string;

function connect(auth: Record<string, unknown> | undefined): Socket {
  return io(t.server.url, { path: '/socket.io', auth, transports: ['websocket'], reconnection: false, forceNew: true });
}

function outcome(socket: Socket): Promise<{ connected: boolean; error?: string; welcome?: { role: string } }> {
  return new Promise((resolve) => {
    socket.once('connect_error', (err) => resolve({ connected: false, error: err.message }));
    socket.once('welcome', (welcome: { role: string }) => resolve({ connected: true, welcome }));
  });
}

describe(`HTTP API and socket.io end to end (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 180_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_METRICS_TOKEN: METRICS_TOKEN });
    const kiosk = await t.api('POST', '/api/tokens', { body: { name: 'Lobby kiosk', role: 'kiosk' } });
    assert.equal(kiosk.status, 201);
    kioskToken = kiosk.body.token;
    const security = await t.api('POST', '/api/tokens', { body: { name: 'Guard desk', role: 'security' } });
    securityToken = security.body.token;
  });
  after(async () => t?.stop());

  it('serves health without a token as the status alone; the detailed view needs a console token', async () => {
    const probe = await t.api('GET', '/api/health', { token: null });
    assert.equal(probe.status, 200);
    assert.deepEqual(probe.body, { status: 'ok' }, 'no version, roles, inference or KPI details without a token');
    for (const token of [TEST_ADMIN_TOKEN, securityToken]) {
      const res = await t.api('GET', '/api/health', { token });
      assert.equal(res.status, 200);
      assert.equal(res.body.status, 'ok');
      assert.equal(res.body.database.ok, true);
      assert.deepEqual(res.body.roles, ['api']);
      assert.equal(res.body.inference.status, 'idle', 'an api-only process loads no models until an upload needs them');
      assert.match(res.body.version, /^\d+\.\d+\.\d+/);
      assert.deepEqual(res.body.kpi.breaches, []);
      assert.deepEqual(res.body.realtime, { adapter: 'memory', connected: true }, 'no VIGIL_REDIS_URL: this process\'s sockets only');
    }
    const kiosk = await t.api('GET', '/api/health', { token: kioskToken });
    assert.equal(kiosk.status, 403, 'a kiosk device gets no detailed view');
    assert.match(kiosk.body.message, /admin, security, reviewer.*Without a token/);
    const wrong = await t.api('GET', '/api/health', { token: 'vgl_not-a-token' });
    assert.equal(wrong.status, 401, 'a token that is sent is checked, not silently ignored');
  });

  it('serves Prometheus metrics at /metrics (outside /api) to the metrics token or an admin, nobody else', async () => {
    const scrape = (token?: string) => fetch(`${t.server.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    for (const token of [METRICS_TOKEN, TEST_ADMIN_TOKEN]) {
      const res = await scrape(token);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
      assert.match(await res.text(), /^vigil_process_cpu_user_seconds_total /m);
    }
    const anonymous = await scrape();
    assert.equal(anonymous.status, 401);
    assert.match(((await anonymous.json()) as { message: string }).message, /VIGIL_METRICS_TOKEN/);
    assert.equal((await scrape('x'.repeat(32))).status, 401);
    assert.equal((await scrape(securityToken)).status, 403);
    assert.equal((await scrape(kioskToken)).status, 403);
    assert.equal((await fetch(`${t.server.url}/api/metrics`)).status, 404, 'no metrics route under /api');
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${t.server.url}/api/docs/openapi.json`);
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/persons']);
    assert.ok(doc.paths['/api/cameras/{id}']);
  });

  const unauthenticated: Array<[string, string, string | null]> = [
    ['GET', '/api/persons', null],
    ['POST', '/api/persons', null],
    ['GET', '/api/cameras', null],
    ['GET', '/api/tokens', null],
    ['GET', '/api/persons', 'vgl_not-a-real-token'],
    ['GET', '/api/persons', 'x'.repeat(500)],
  ];
  for (const [method, path, token] of unauthenticated) {
    it(`${method} ${path} with ${token ? 'a bad' : 'no'} token → 401`, async () => {
      const res = await t.api(method, path, { token, body: method === 'POST' ? { name: 'A', list: 'watchlist' } : undefined });
      assert.equal(res.status, 401);
      assert.match(res.body.message, /token/i);
    });
  }

  it('a kiosk token cannot create persons (403) and nothing is created', async () => {
    const res = await t.api('POST', '/api/persons', { token: kioskToken, body: { name: 'Kiosk Made', list: 'employee' } });
    assert.equal(res.status, 403);
    assert.match(res.body.message, /needs role admin; you have role kiosk/);
    const list = await t.api('GET', '/api/persons?q=Kiosk%20Made');
    assert.equal(list.body.total, 0);
  });

  const forbidden: Array<[string, string, string]> = [
    ['GET', '/api/persons', 'kiosk'],
    ['GET', '/api/cameras', 'kiosk'],
    ['POST', '/api/cameras', 'security'],
    ['POST', '/api/tokens', 'security'],
    ['GET', '/api/tokens', 'kiosk'],
  ];
  for (const [method, path, role] of forbidden) {
    it(`${method} ${path} as ${role} → 403`, async () => {
      const token = role === 'kiosk' ? kioskToken : securityToken;
      const res = await t.api(method, path, { token, body: method === 'POST' ? {} : undefined });
      assert.equal(res.status, 403);
    });
  }

  const badBodies: Array<[string, unknown, RegExp]> = [
    ['unknown field role', { name: 'Eve', list: 'employee', role: 'admin' }, /role: unknown field/],
    ['unknown list', { name: 'Eve', list: 'visitor' }, /list: must be "watchlist" or "employee"/],
    ['missing name', { list: 'watchlist' }, /name/],
    ['blank name', { name: '   ', list: 'watchlist' }, /name: must be 1 to 200/],
    ['name too long', { name: 'x'.repeat(201), list: 'watchlist' }, /name: must be 1 to 200/],
    ['consent on watchlist', { name: 'Eve', list: 'watchlist', consent: { method: 'form' } }, /consent applies to employees only/],
    ['consent without method', { name: 'Eve', list: 'employee', consent: {} }, /consent\.method/],
    ['consent unknown field', { name: 'Eve', list: 'employee', consent: { method: 'form', x: 1 } }, /consent\.x: unknown field/],
    ['array body', [1, 2], /./],
  ];
  for (const [name, body, message] of badBodies) {
    it(`POST /api/persons with ${name} → 400 and nothing stored`, async () => {
      const res = await t.api('POST', '/api/persons', { body });
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.match(res.body.message, message);
      assert.equal((await t.api('GET', '/api/persons?q=Eve')).body.total, 0);
    });
  }

  it('malformed JSON → 400 with a JSON error body', async () => {
    const res = await t.api('POST', '/api/persons', { raw: '{"name": ' });
    assert.equal(res.status, 400);
    assert.equal(res.body.statusCode, 400);
  });

  it('persons CRUD with 409 on duplicates and 404 on unknown ids', async () => {
    const created = await t.api('POST', '/api/persons', {
      body: { name: '  Ana Silva ', list: 'employee', notes: 'front desk', consent: { method: 'signed-form', reference: 'HR-1' } },
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.name, 'Ana Silva');
    assert.equal(created.body.consent.method, 'signed-form');
    assert.equal(created.body.referenceCount, 0);
    const id = created.body.id as string;

    const dup = await t.api('POST', '/api/persons', { body: { name: 'ANA SILVA', list: 'employee' } });
    assert.equal(dup.status, 409);
    assert.match(dup.body.message, /already on the employee list/);

    assert.equal((await t.api('GET', `/api/persons/${id}`, { token: securityToken })).status, 200);
    const listed = await t.api('GET', '/api/persons?list=employee&q=ana');
    assert.deepEqual(listed.body.items.map((p: { id: string }) => p.id), [id]);

    const moved = await t.api('PATCH', `/api/persons/${id}`, { body: { list: 'watchlist' } });
    assert.equal(moved.status, 400);
    assert.match(moved.body.message, /consent": null/);
    const patched = await t.api('PATCH', `/api/persons/${id}`, { body: { list: 'watchlist', consent: null, notes: null } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.list, 'watchlist');
    assert.equal(patched.body.consent, null);
    assert.equal(patched.body.notes, null);

    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await t.api('GET', `/api/persons/${missing}`)).status, 404);
    assert.equal((await t.api('PATCH', `/api/persons/${missing}`, { body: { notes: 'x' } })).status, 404);
    assert.equal((await t.api('GET', '/api/persons/not-a-uuid')).status, 400);

    assert.equal((await t.api('DELETE', `/api/persons/${id}`)).status, 204);
    assert.equal((await t.api('GET', `/api/persons/${id}`)).status, 404);
    assert.equal((await t.api('DELETE', `/api/persons/${id}`)).status, 404);

    const audit = await t.server.database.repos.audit.forObject('person', id);
    assert.deepEqual(audit.map((a) => a.action), ['person.create', 'person.update', 'person.erase']);
    assert.ok(audit.every((a) => a.actorRole === 'admin'));
  });

  it('moving a watchlist entry with references to the employee list needs their consent in the same request (409, nothing changed)', async () => {
    const id = (await t.api('POST', '/api/persons', { body: { name: 'Mona Mover', list: 'watchlist' } })).body.id as string;
    // A reference written straight to the database: this file loads no face model.
    await t.server.database.transaction(async (repos) =>
      repos.faceReferences.insert({ personId: id, embedding: new Float32Array(128).fill(0.1), modelId: EMBEDDING_MODEL_ID, source: 'upload', galleryVersion: await repos.faceReferences.nextGalleryVersion() }),
    );
    const auditBefore = (await t.server.database.repos.audit.forObject('person', id)).length;

    const refused = await t.api('PATCH', `/api/persons/${id}`, { body: { list: 'employee', notes: 'now on staff' } });
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.match(refused.body.message, /consent/);
    assert.match(refused.body.message, /"consent": \{"method"/, 'says what to send');
    const unchanged = await t.api('GET', `/api/persons/${id}`);
    assert.deepEqual([unchanged.body.list, unchanged.body.referenceCount, unchanged.body.notes, unchanged.body.consent], ['watchlist', 1, null, null]);
    assert.equal((await t.server.database.repos.audit.forObject('person', id)).length, auditBefore, 'nothing audited');
    const gallery = await t.server.database.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
    assert.deepEqual(gallery.filter((r) => r.personId === id).map((r) => r.list), ['watchlist']);

    const moved = await t.api('PATCH', `/api/persons/${id}`, { body: { list: 'employee', consent: { method: 'signed-form', reference: 'HR-9' } } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual([moved.body.list, moved.body.referenceCount, moved.body.consent.method], ['employee', 1, 'signed-form']);
  });

  it('cameras CRUD never returns or audits the password', async () => {
    const password = 'Sup3r$ecret';
    const created = await t.api('POST', '/api/cameras', { body: { name: 'Lobby', url: `rtsp://admin:${password}@10.1.2.3:554/s1`, fps: 5 } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.url, 'rtsp://***@10.1.2.3:554/s1');
    assert.equal(created.body.status, 'offline');
    const id = created.body.id as string;

    // Sending the redacted URL back (as a form that edits the camera would) keeps the real one.
    const renamed = await t.api('PATCH', `/api/cameras/${id}`, { body: { name: 'Lobby East', url: created.body.url } });
    assert.equal(renamed.status, 200);
    const stored = await t.server.database.repos.cameras.findById(id);
    assert.equal(stored!.url, `rtsp://admin:${password}@10.1.2.3:554/s1`);

    // A secret under a query key the redaction does not know: the audit keeps no URL at all.
    const disabled = await t.api('PATCH', `/api/cameras/${id}`, { body: { enabled: false, url: `rtsp://admin:${password}@10.1.2.3:554/s1?access_token=Tok3nXyz` } });
    assert.equal(disabled.body.status, 'disabled');
    assert.equal((await t.api('POST', '/api/cameras', { body: { name: 'lobby east', url: 'rtsp://10.0.0.1/x' } })).status, 409);

    const listed = await t.api('GET', '/api/cameras', { token: securityToken });
    const audit = await t.server.database.repos.audit.forObject('camera', id);
    const everything = JSON.stringify([created.body, renamed.body, listed.body, audit]);
    assert.ok(!everything.includes(password), 'password leaked');
    assert.ok(!JSON.stringify(audit).includes('Tok3nXyz'), 'camera secrets stay out of the audit trail');
    assert.ok(!JSON.stringify(audit).includes('10.1.2.3'), 'audit rows name the camera by id, not its URL');
    assert.equal((await t.api('DELETE', `/api/cameras/${id}`)).status, 204);
  });

  it('cameras: query secrets (access_token, apikey, …) never reach a view, the security role or the audit (#13)', async () => {
    const secrets = ['AccessS3cret', 'ApiKeyS3cret', 'PasswdS3cret', 'SigS3cret'];
    const url = `rtsp://10.1.2.4:554/s1?channel=1&access_token=${secrets[0]}&apikey=${secrets[1]}&subtype=0`;
    const created = await t.api('POST', '/api/cameras', { body: { name: 'Query Cam', url } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.url, 'rtsp://10.1.2.4:554/s1?channel=1&access_token=***&apikey=***&subtype=0');
    const id = created.body.id as string;

    // Sending the redacted URL back keeps the real one; a new URL is audited redacted.
    assert.equal((await t.api('PATCH', `/api/cameras/${id}`, { body: { name: 'Query Cam 2', url: created.body.url } })).status, 200);
    assert.equal((await t.server.database.repos.cameras.findById(id))!.url, url);
    const next = `http://10.1.2.4/snap.mjpg?passwd=${secrets[2]};sig=${secrets[3]}&resolution=640x360`;
    const patched = await t.api('PATCH', `/api/cameras/${id}`, { body: { url: next } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.url, 'http://10.1.2.4/snap.mjpg?passwd=***&resolution=640x360');

    const asSecurity = [await t.api('GET', '/api/cameras', { token: securityToken }), await t.api('GET', `/api/cameras/${id}`, { token: securityToken })];
    assert.ok(asSecurity.every((r) => r.status === 200));
    const audit = await t.server.database.repos.audit.forObject('camera', id);
    assert.deepEqual(audit.map((a) => a.action), ['camera.create', 'camera.update', 'camera.update']);
    const everything = JSON.stringify([created.body, patched.body, asSecurity.map((r) => r.body), audit]);
    for (const secret of secrets) assert.ok(!everything.includes(secret), `${secret} leaked`);
    assert.equal((await t.api('DELETE', `/api/cameras/${id}`)).status, 204);
  });

  const badCameras: Array<[unknown, RegExp]> = [
    [{ name: 'A', url: 'file:///etc/passwd' }, /file: camera URLs are disabled/],
    [{ name: 'A', url: 'http://169.254.169.254/latest' }, /link-local/],
    [{ name: 'A', url: 'http://[::ffff:169.254.169.254]/latest' }, /link-local/],
    [{ name: 'A', url: 'http://x\\@169.254.169.254/latest' }, /backslash/],
    [{ name: 'A', url: 'rtsp://2852039166/latest' }, /four decimal numbers/],
    [{ name: 'A', url: 'concat:a|b' }, /not allowed/],
    [{ name: 'A', url: '-f lavfi' }, /./],
    [{ name: 'A', url: 'rtsp://cam/x', fps: 0 }, /fps/],
    [{ name: 'A', url: 'rtsp://cam/x', fps: 'fast' }, /fps/],
    [{ name: 'A', url: 'rtsp://cam/x', enabled: 'yes' }, /enabled/],
  ];
  for (const [body, message] of badCameras) {
    it(`POST /api/cameras ${JSON.stringify(body)} → 400`, async () => {
      const res = await t.api('POST', '/api/cameras', { body });
      assert.equal(res.status, 400);
      assert.match(res.body.message, message);
    });
  }

  it('tokens: mint, list without secrets, refuse admin minting, revoke', async () => {
    const minted = await t.api('POST', '/api/tokens', { body: { name: 'Reviewer Rita', role: 'reviewer' } });
    assert.equal(minted.status, 201);
    assert.match(minted.body.token, /^vgl_[A-Za-z0-9_-]{43}$/);
    const rita = minted.body.token as string;
    assert.equal((await t.api('GET', '/api/persons', { token: rita })).status, 200);

    const list = await t.api('GET', '/api/tokens');
    assert.ok(list.body.some((x: { id: string }) => x.id === minted.body.id));
    assert.ok(!JSON.stringify(list.body).includes(rita));
    assert.ok(list.body.every((x: Record<string, unknown>) => !('token' in x) && !('tokenHash' in x)));

    assert.equal((await t.api('POST', '/api/tokens', { body: { name: 'Root', role: 'admin' } })).status, 400);
    assert.equal((await t.api('POST', '/api/tokens', { body: { name: 'Reviewer Rita', role: 'reviewer' } })).status, 409);
    assert.equal((await t.api('POST', '/api/tokens', { body: { name: 'Old', role: 'kiosk', expiresAt: '2001-01-01T00:00:00Z' } })).status, 400);

    const revoked = await t.api('DELETE', `/api/tokens/${minted.body.id}`);
    assert.equal(revoked.status, 200);
    assert.ok(revoked.body.revokedAt);
    assert.equal((await t.api('GET', '/api/persons', { token: rita })).status, 401);
  });

  it('refuses to revoke the last admin token', async () => {
    const tokens = await t.api('GET', '/api/tokens');
    const admin = tokens.body.find((x: { role: string }) => x.role === 'admin');
    const res = await t.api('DELETE', `/api/tokens/${admin.id}`);
    assert.equal(res.status, 409);
    assert.equal((await t.api('GET', '/api/persons', { token: TEST_ADMIN_TOKEN })).status, 200);
  });

  it('socket.io refuses a handshake without a token or with a bad one', async () => {
    for (const auth of [undefined, {}, { token: '' }, { token: 'vgl_wrong' }]) {
      const socket = connect(auth);
      const result = await outcome(socket);
      socket.close();
      assert.equal(result.connected, false, JSON.stringify(auth));
      assert.match(result.error!, /unauthorized/);
    }
  });

  it('socket.io accepts a valid token and disconnects it when revoked', async () => {
    const minted = await t.api('POST', '/api/tokens', { body: { name: 'Wall screen', role: 'security' } });
    const socket = connect({ token: minted.body.token, offset: 0 });
    const result = await outcome(socket);
    assert.equal(result.connected, true);
    assert.equal(result.welcome!.role, 'security');
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    await t.api('DELETE', `/api/tokens/${minted.body.id}`);
    assert.equal(await disconnected, 'io server disconnect');
    socket.close();
  });
});
