import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import type { KpiBreachEvent, RecognitionReportView, ReviewItemEvent, ReviewItemView } from '@vigil/contracts';
import { AlertsService } from '../../apps/server/src/alerts/alerts.service';
import { MediaStore } from '@vigil/gallery';
import { ReviewSampler } from '../../apps/server/src/reviews/review-sampler.service';
import { connectSocket, until } from '../support/socket-client';
import { startTestServer, TEST_ADMIN_TOKEN, TestServer } from '../support/test-server';

const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-reviews-'));
let t: TestServer;
let alerts: AlertsService;
let sampler: ReviewSampler;
let media: MediaStore;
const tokens: Record<'r1' | 'r2' | 'security' | 'kiosk', { token: string; id: string }> = {} as never;
const people: Record<'x' | 'y' | 'e', string> = {} as never;
let cameraId: string;

async function mint(name: string, role: string) {
  const r = await t.api('POST', '/api/tokens', { body: { name, role } });
  assert.equal(r.status, 201);
  return { token: r.body.token as string, id: r.body.id as string };
}

async function camera(name: string): Promise<string> {
  return (await t.api('POST', '/api/cameras', { body: { name, url: 'rtsp://10.0.0.1/s', enabled: false } })).body.id;
}

async function crop(cam: string, expiresAt: Date | null = null): Promise<string> {
  const bytes = Buffer.from('not really a jpeg, but bytes to serve');
  const p = await media.writeCameraImage(cam, bytes);
  return t.server.database.repos.media.insert({ kind: 'crop', path: p, contentType: 'image/jpeg', bytes: bytes.length, cameraId: cam, expiresAt });
}

async function raise(cam: string, personId: string, distance = 0.3): Promise<string> {
  return (await alerts.raise({ cameraId: cam, personId, list: 'watchlist', score: 0.8, distance, cropMediaId: await crop(cam) })).id;
}

async function queue(query: string, token?: string): Promise<{ items: ReviewItemView[]; total: number }> {
  const r = await t.api('GET', `/api/reviews/queue?${query}`, token ? { token } : {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function itemOfAlert(alertId: string): Promise<ReviewItemView> {
  const { items } = await queue('kind=alert&status=all&limit=500');
  const item = items.find((i) => i.alertId === alertId);
  assert.ok(item, `alert ${alertId} has a review item`);
  return item;
}

const label = (who: keyof typeof tokens, body: Record<string, unknown>) => t.api('POST', '/api/reviews', { token: tokens[who].token, body });

describe(`review queue, labels, metrics and KPIs (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded'})`, { timeout: 240_000 }, () => {
  before(async () => {
    t = await startTestServer({ VIGIL_DATA_DIR: dataDir, VIGIL_TIMEZONE: 'UTC' });
    alerts = t.server.app.get(AlertsService);
    sampler = t.server.app.get(ReviewSampler);
    media = new MediaStore(t.config.dataDir);
    tokens.r1 = await mint('Reviewer One', 'reviewer');
    tokens.r2 = await mint('Reviewer Two', 'reviewer');
    tokens.security = await mint('Desk', 'security');
    tokens.kiosk = await mint('Lobby', 'kiosk');
    people.x = (await t.api('POST', '/api/persons', { body: { name: 'Banned X', list: 'watchlist' } })).body.id;
    people.y = (await t.api('POST', '/api/persons', { body: { name: 'Banned Y', list: 'watchlist' } })).body.id;
    people.e = (await t.api('POST', '/api/persons', { body: { name: 'Employee E', list: 'employee' } })).body.id;
    cameraId = await camera('Gate');
  });
  after(async () => {
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('every alert gets a review item (crop, candidate, score, camera, time, model version), also when raised concurrently', async () => {
    const ids = await Promise.all(Array.from({ length: 12 }, () => raise(cameraId, people.x)));
    const { items, total } = await queue('kind=alert&status=all&limit=500');
    assert.equal(total, 12);
    assert.deepEqual(new Set(items.map((i) => i.alertId)), new Set(ids));
    const [row] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM alert a WHERE NOT EXISTS (SELECT 1 FROM review_item i WHERE i.alert_id = a.id)`);
    assert.equal(row.n, 0, 'no alert without its review item');
    const item = items[0]!;
    assert.equal(item.kind, 'alert');
    assert.equal(item.status, 'open');
    assert.equal(item.cameraId, cameraId);
    assert.equal(item.cameraName, 'Gate');
    assert.deepEqual(item.candidate, { personId: people.x, personName: 'Banned X', list: 'watchlist' });
    assert.equal(item.nearest, null);
    assert.ok(Math.abs(item.score! - 0.8) < 1e-6);
    assert.ok(Math.abs(item.distance! - 0.3) < 1e-6);
    assert.match(item.cropUrl!, /^\/api\/media\/[0-9a-f-]{36}$/);
    assert.equal(item.requiredLabels, 2);
    const [active] = await t.server.database.dataSource.query(`SELECT id FROM model_version WHERE status = 'active'`);
    assert.equal(item.modelVersionId, active.id, 'the version active at boot (v1)');
    assert.ok(Date.parse(item.createdAt) > 0);
  });

  it('alerts and their items record the active model version', async () => {
    const [v1] = await t.server.database.dataSource.query(`UPDATE model_version SET status = 'retired' WHERE status = 'active' RETURNING id`);
    const [mv] = await t.server.database.dataSource.query(
      `INSERT INTO model_version (label, status, embedding_model, detector, gallery_version, thresholds)
       VALUES ('test', 'active', 'facenet', 'ssd', 0, '{}'::jsonb) RETURNING id`,
    );
    try {
      const alertId = await raise(cameraId, people.x);
      assert.equal((await itemOfAlert(alertId)).modelVersionId, mv.id);
      const [a] = await t.server.database.dataSource.query(`SELECT model_version_id AS v FROM alert WHERE id = $1`, [alertId]);
      assert.equal(a.v, mv.id);
    } finally {
      await t.server.database.dataSource.query(`UPDATE model_version SET status = 'retired' WHERE id = $1`, [mv.id]);
      await t.server.database.dataSource.query(`UPDATE model_version SET status = 'active' WHERE id = $1`, [v1.id]);
    }
  });

  it('reviewers (and admins) get review.item when an item is created; security does not', async () => {
    const got: ReviewItemEvent[] = [];
    const seenBySecurity: unknown[] = [];
    const reviewer: Socket = await connectSocket(t.server.url, { token: tokens.r1.token }, (s) => s.on('review.item', (e: ReviewItemEvent) => got.push(e)));
    const security: Socket = await connectSocket(t.server.url, { token: tokens.security.token }, (s) => s.on('review.item', (e: unknown) => seenBySecurity.push(e)));
    try {
      const alertId = await raise(cameraId, people.x);
      const item = await itemOfAlert(alertId);
      const event = await until('review.item for the alert', 10_000, () => got.find((e) => e.id === item.id));
      assert.deepEqual(event, { id: item.id, kind: 'alert', cameraId, at: item.createdAt });
      assert.deepEqual(seenBySecurity, []);
    } finally {
      reviewer.close();
      security.close();
    }
  });

  it('the queue is for reviewers and admins, validates its query and lists open items first, oldest first', async () => {
    assert.equal((await t.api('GET', '/api/reviews/queue', { token: tokens.security.token })).status, 403);
    assert.equal((await t.api('GET', '/api/reviews/queue', { token: tokens.kiosk.token })).status, 403);
    assert.equal((await t.api('GET', '/api/reviews/queue', { token: null })).status, 401);
    assert.equal((await t.api('GET', '/api/reviews/queue?kind=everything')).status, 400);
    assert.equal((await t.api('GET', '/api/reviews/queue?status=done')).status, 400);
    assert.equal((await t.api('GET', '/api/reviews/queue?limit=0')).status, 400);
    assert.equal((await t.api('GET', '/api/reviews/queue?cameraId=gate')).status, 400);
    assert.equal((await t.api('GET', '/api/reviews/queue?colour=red')).status, 400);
    const page = await queue('limit=5&offset=2', tokens.r1.token);
    assert.equal(page.items.length, 5);
    const all = await queue('status=all&limit=500');
    const times = all.items.map((i) => Date.parse(i.createdAt));
    for (let i = 1; i < times.length; i++) assert.ok(times[i - 1]! <= times[i]!, 'oldest first');
    assert.deepEqual(page.items.map((i) => i.id), all.items.slice(2, 7).map((i) => i.id));
  });

  it('the crop of a queued item is served by the audited /api/media route', async () => {
    const item = await itemOfAlert(await raise(cameraId, people.x));
    const res = await fetch(`${t.server.url}${item.cropUrl}`, { headers: { authorization: `Bearer ${tokens.r1.token}` } });
    assert.equal(res.status, 200);
    const mediaId = item.cropUrl!.split('/').pop()!;
    const views = await t.server.database.repos.audit.forObject('media', mediaId);
    assert.equal(views.filter((v) => v.action === 'media.view' && v.actorName === 'Reviewer One').length, 1);
  });

  it('a watchlist alert needs two different reviewers: the same reviewer twice → 403; two agreeing → confirmed; all audited', async () => {
    const [{ v: galleryVersion }] = await t.server.database.dataSource.query(`SELECT nextval('gallery_version_seq')::text AS v`);
    const item = await itemOfAlert(await raise(cameraId, people.x));
    const first = await label('r1', { itemId: item.id, label: 'TP', notes: 'clearly him' });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.item.status, 'open', 'one label is not enough for a watchlist alert');
    assert.equal(first.body.item.labels.length, 1);
    assert.equal(first.body.item.labels[0].reviewerName, 'Reviewer One');
    assert.equal(first.body.item.labels[0].notes, 'clearly him');

    const again = await label('r1', { itemId: item.id, label: 'TP' });
    assert.equal(again.status, 403);
    assert.match(again.body.message, /already labelled this item.*different person/);

    const second = await label('r2', { itemId: item.id, label: 'TP' });
    assert.equal(second.status, 201);
    assert.equal(second.body.item.status, 'confirmed');
    assert.deepEqual(second.body.item.labels.map((l: { reviewerName: string }) => l.reviewerName), ['Reviewer One', 'Reviewer Two']);

    const audit = await t.server.database.repos.audit.forObject('review_item', item.id);
    const labels = audit.filter((a) => a.action === 'review.label');
    assert.deepEqual(labels.map((a) => [a.actorTokenId, a.actorName, a.actorRole]), [
      [tokens.r1.id, 'Reviewer One', 'reviewer'],
      [tokens.r2.id, 'Reviewer Two', 'reviewer'],
    ]);
    assert.ok(labels.every((a) => String(a.galleryVersion) === galleryVersion && (a.details as { label: string }).label === 'TP'));
    const confirm = audit.filter((a) => a.action === 'review.confirm');
    assert.equal(confirm.length, 1);
    assert.deepEqual((confirm[0]!.details as { reviewers: Array<{ tokenId: string }> }).reviewers.map((r) => r.tokenId), [tokens.r1.id, tokens.r2.id], 'tokens without an owner stand for themselves');
    const [{ n }] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM review_label WHERE item_id = $1`, [item.id]);
    assert.equal(n, 2, 'the refused second label left nothing behind');
  });

  it('the two-reviewer rule counts people: one user holding two reviewer tokens cannot confirm alone; two users can', async () => {
    const user = async (username: string) => {
      const r = await t.api('POST', '/api/users', { body: { username, displayName: username, role: 'reviewer' } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      return r.body.id as string;
    };
    const [u1, u2] = [await user('rev-one'), await user('rev-two')];
    const owned = async (name: string, ownerUserId: string) => {
      const r = await t.api('POST', '/api/tokens', { body: { name, role: 'reviewer', ownerUserId } });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      assert.equal(r.body.ownerUserId, ownerUserId);
      return r.body.token as string;
    };
    const [a, b, c] = [await owned('u1 laptop', u1), await owned('u1 tablet', u1), await owned('u2 laptop', u2)];
    const item = await itemOfAlert(await raise(cameraId, people.x));
    const by = (token: string) => t.api('POST', '/api/reviews', { token, body: { itemId: item.id, label: 'TP' } });
    assert.equal((await by(a)).status, 201);
    const twice = await by(b);
    assert.equal(twice.status, 403, 'the same person with another token');
    assert.match(twice.body.message, /already labelled this item \(with this or another of your tokens\)/);
    const second = await by(c);
    assert.equal(second.status, 201);
    assert.equal(second.body.item.status, 'confirmed');
    const audit = await t.server.database.repos.audit.forObject('review_item', item.id);
    assert.deepEqual(audit.filter((e) => e.action === 'review.label').map((e) => e.actorUserId), [u1, u2]);
    const confirm = audit.find((e) => e.action === 'review.confirm')!;
    assert.deepEqual((confirm.details as { reviewers: Array<{ userId: string }> }).reviewers.map((r) => r.userId), [u1, u2]);
  });

  it('two reviewers who disagree leave the alert open', async () => {
    const item = await itemOfAlert(await raise(cameraId, people.x));
    assert.equal((await label('r1', { itemId: item.id, label: 'TP' })).body.item.status, 'open');
    assert.equal((await label('r2', { itemId: item.id, label: 'FP', notEnrolled: true })).body.item.status, 'open');
  });

  it('"this is not X, it is Y" is stored and shown; contradictory or unknown references are refused', async () => {
    const item = await itemOfAlert(await raise(cameraId, people.x));
    const r = await label('r1', { itemId: item.id, label: 'FP', actualPersonId: people.y, notes: 'that is Y' });
    assert.equal(r.status, 201);
    assert.equal(r.body.item.labels[0].actualPersonId, people.y);
    assert.equal(r.body.item.labels[0].actualPersonName, 'Banned Y');
    const [row] = await t.server.database.dataSource.query(`SELECT actual_person_id AS a, not_enrolled AS ne FROM review_label WHERE item_id = $1`, [item.id]);
    assert.deepEqual(row, { a: people.y, ne: false });

    const other = await itemOfAlert(await raise(cameraId, people.x));
    const refused: Array<[Record<string, unknown>, number, RegExp]> = [
      [{ label: 'TP', actualPersonId: people.y }, 400, /label FP with actualPersonId/],
      [{ label: 'FP', actualPersonId: people.y, notEnrolled: true }, 400, /not both/],
      [{ label: 'FN' }, 400, /label TP if it is that person/],
      [{ label: 'FP', actualPersonId: '00000000-0000-4000-8000-000000000000' }, 404, /No person/],
      [{ label: 'MAYBE' }, 400, /must be TP, FP, FN or TN/],
      [{ label: 'TP', reviewer: 'someone else' }, 400, /unknown field/],
    ];
    for (const [body, status, message] of refused) {
      const res = await label('r1', { itemId: other.id, ...body });
      assert.equal(res.status, status, JSON.stringify(body));
      assert.match(res.body.message, message);
    }
    assert.equal((await label('r1', { itemId: '00000000-0000-4000-8000-000000000000', label: 'TP' })).status, 404);
    assert.equal((await t.api('POST', '/api/reviews', { token: tokens.security.token, body: { itemId: other.id, label: 'TP' } })).status, 403);
    const [{ n }] = await t.server.database.dataSource.query(`SELECT count(*)::int AS n FROM review_label WHERE item_id = $1`, [other.id]);
    assert.equal(n, 0, 'refused labels change nothing');
  });

  it('review settings: admin reads and changes them within bounds; audited; others refused', async () => {
    const before = await t.api('GET', '/api/settings/review');
    assert.equal(before.status, 200);
    assert.equal(before.body.kpiMinAccuracy, 0.95);
    assert.equal(before.body.kpiMaxFar, 0.0001);
    assert.equal(before.body.unknownRetentionDays, 30);
    const bad = await t.api('PATCH', '/api/settings/review', { body: { unknownSampleRate: 1.5, kpiMinAccuracy: 0.9 } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /unknownSampleRate must be between 0 and 1/);
    assert.equal((await t.api('GET', '/api/settings/review')).body.kpiMinAccuracy, 0.95, 'nothing changed');
    assert.equal((await t.api('PATCH', '/api/settings/review', { body: { colour: 1 } })).status, 400);
    assert.equal((await t.api('PATCH', '/api/settings/review', { body: {} })).status, 400);
    assert.equal((await t.api('PATCH', '/api/settings/review', { token: tokens.r1.token, body: { unknownSampleRate: 1 } })).status, 403);
    const ok = await t.api('PATCH', '/api/settings/review', { body: { unknownSampleRate: 1, unknownDailyCap: 1000, kpiMinPrecision: 0.5 } });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.unknownSampleRate, 1);
    assert.equal(ok.body.kpiMinPrecision, 0.5);
    assert.equal((await t.api('PATCH', '/api/settings/review', { body: { kpiMinPrecision: null } })).body.kpiMinPrecision, null);
    const audit = await t.server.database.repos.audit.forObject('setting', 'review');
    assert.equal(audit.filter((a) => a.action === 'settings.update').length, 2);
  });

  it('metrics reflect the labels: counts, rates and AUC for a camera, by day and list', async () => {
    assert.equal((await t.api('PATCH', '/api/settings/review', { body: { unknownSampleRate: 1, unknownDailyCap: 1000 } })).status, 200);
    const cam = await camera('Metrics door');
    const tpItem = await itemOfAlert(await raise(cam, people.x, 0.3));
    const fpItem = await itemOfAlert(await raise(cam, people.x, 0.35));
    await raise(cam, people.x, 0.2); // never labelled: not counted
    const store = () => crop(cam);
    const now = new Date();
    const tnId = await sampler.considerUnknown({ cameraId: cam, at: now, bestCandidate: { personId: people.x, distance: 0.6 }, storeCrop: store });
    const fnId = await sampler.considerUnknown({ cameraId: cam, at: new Date(now.getTime() + 1), bestCandidate: { personId: people.x, distance: 0.5 }, storeCrop: store });
    assert.ok(tnId && fnId, 'rate 1 keeps every unknown');
    for (const [who, body] of [
      ['r1', { itemId: tpItem.id, label: 'TP' }],
      ['r2', { itemId: tpItem.id, label: 'TP' }],
      ['r1', { itemId: fpItem.id, label: 'FP', notEnrolled: true }],
      ['r1', { itemId: tnId, label: 'TN', notEnrolled: true }],
      ['r1', { itemId: fnId, label: 'FN', actualPersonId: people.x }],
    ] as const) {
      assert.equal((await label(who, body)).status, 201, JSON.stringify(body));
    }
    const r = await t.api('GET', `/api/metrics/recognition?cameraId=${cam}`, { token: tokens.r1.token });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const m = r.body as RecognitionReportView;
    // tp 1 (0.30 same), fp 1 (0.35 not), tn 1 (0.60 not), fn 1 (0.50 same): AUC = (2 + 1) / 4
    assert.deepEqual(m.overall, { tp: 1, fp: 1, fn: 1, tn: 1, reviewed: 4, precision: 0.5, recall: 0.5, accuracy: 0.5, far: 0.5, frr: 0.5, auc: 0.75 });
    assert.equal(m.byDay.length, 1);
    assert.equal(m.byDay[0]!.day, now.toISOString().slice(0, 10));
    assert.deepEqual(m.byCamera.map((c) => [c.cameraId, c.cameraName, c.reviewed]), [[cam, 'Metrics door', 4]]);
    assert.deepEqual(m.byList.map((l) => [l.list, l.reviewed]), [['watchlist', 4]]);
    assert.equal(m.kpi.targets.minAccuracy, 0.95);
    const employees = (await t.api('GET', `/api/metrics/recognition?cameraId=${cam}&list=employee`)).body as RecognitionReportView;
    assert.equal(employees.overall.reviewed, 0);
    const tomorrow = new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
    assert.equal(((await t.api('GET', `/api/metrics/recognition?cameraId=${cam}&from=${tomorrow}`)).body as RecognitionReportView).overall.reviewed, 0);
    assert.equal((await t.api('GET', '/api/metrics/recognition?from=2026-02-30')).status, 400);
    assert.equal((await t.api('GET', '/api/metrics/recognition?from=2026-03-02&to=2026-03-01')).status, 400);
    assert.equal((await t.api('GET', '/api/metrics/recognition?list=visitors')).status, 400);
    assert.equal((await t.api('GET', '/api/metrics/recognition', { token: tokens.security.token })).status, 403);
  });

  it('a KPI breach after a label raises kpi.breach (reviewers, admins) and degrades health until the targets are met', async () => {
    const relaxed = await t.api('PATCH', '/api/settings/review', { body: { kpiMinAccuracy: 0, kpiMaxFar: 1, kpiMinReviewed: 1 } });
    assert.equal(relaxed.status, 200);
    await until('health ok with relaxed targets', 10_000, async () => ((await t.api('GET', '/api/health', { token: null })).body.status === 'ok' ? true : undefined));

    const breaches: KpiBreachEvent[] = [];
    const adminSeen: KpiBreachEvent[] = [];
    const securitySeen: unknown[] = [];
    const reviewer = await connectSocket(t.server.url, { token: tokens.r1.token }, (s) => s.on('kpi.breach', (e: KpiBreachEvent) => breaches.push(e)));
    const admin = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN }, (s) => s.on('kpi.breach', (e: KpiBreachEvent) => adminSeen.push(e)));
    const security = await connectSocket(t.server.url, { token: tokens.security.token }, (s) => s.on('kpi.breach', (e: unknown) => securitySeen.push(e)));
    try {
      // A camera whose only reviewed decision is a false accept: accuracy 0 there, below a 0.9 target.
      assert.equal((await t.api('PATCH', '/api/settings/review', { body: { kpiMinAccuracy: 0.9 } })).status, 200);
      const cam = await camera('Breach door');
      const item = await itemOfAlert(await raise(cam, people.x));
      assert.equal((await label('r1', { itemId: item.id, label: 'FP', notEnrolled: true })).status, 201);
      const scope = `camera:${cam}`;
      const event = await until('kpi.breach for the camera', 10_000, () => breaches.find((b) => b.scope === scope));
      assert.equal(event.metric, 'accuracy');
      assert.equal(event.value, 0);
      assert.equal(event.target, 0.9);
      await until('the admin gets it too', 10_000, () => adminSeen.find((b) => b.scope === scope));
      const health = await t.api('GET', '/api/health', { token: null });
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'degraded');
      assert.ok(health.body.kpi.breaches.some((b: KpiBreachEvent) => b.scope === scope && b.metric === 'accuracy'));
      const report = (await t.api('GET', `/api/metrics/recognition?cameraId=${cam}`)).body as RecognitionReportView;
      assert.deepEqual(report.kpi.breaches.filter((b) => b.scope === scope).map((b) => b.metric), ['accuracy']);

      assert.equal((await t.api('PATCH', '/api/settings/review', { body: { kpiMinAccuracy: 0 } })).status, 200);
      await until('health ok again', 10_000, async () => {
        const h = await t.api('GET', '/api/health', { token: null });
        return h.body.status === 'ok' && h.body.kpi.breaches.length === 0 ? true : undefined;
      });
      assert.deepEqual(securitySeen, [], 'security staff do not get KPI events');
    } finally {
      reviewer.close();
      admin.close();
      security.close();
    }
  });
});
