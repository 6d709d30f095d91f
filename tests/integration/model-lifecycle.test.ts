import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModelVersionView, RefreshResultView, RefreshRunView } from '@vigil/contracts';
import { ConflictError } from '@vigil/domain';
import { ActiveModelVersion } from '../../apps/server/src/model-versions/active-model-version.service';
import { RefreshScheduler } from '../../apps/server/src/model-versions/refresh.scheduler';
import { RefreshService } from '../../apps/server/src/model-versions/refresh.service';
import { CropEmbedder } from '../../apps/server/src/model-versions/crop-embedder';
import { GalleryMatcher } from '../../apps/server/src/recognition/gallery-matcher.service';
import { faceCrop, referencePhoto, SAMPLE5, SAMPLE6, type SampleFace } from '../support/face-crops';
import { insertReviewedItem, type TestLabel, type TestReviewItem } from '../support/reviewed-items';
import { until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

/**
 * The model lifecycle end to end on the real engine: reviewed camera crops of the sample photos'
 * faces (real embeddings), a refresh that must promote a better candidate and refuse a worse one,
 * and a rollback that must restore the previous thresholds and references exactly.
 */

interface Ctx {
  t: TestServer;
  dataDir: string;
  cameraId: string;
  reviewers: Array<{ tokenId: string; name: string; token: string }>;
}

async function boot(): Promise<Ctx> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-lifecycle-'));
  const t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_DATA_DIR: dataDir });
  const cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Lobby', url: 'rtsp://10.0.0.1/lobby', enabled: false } })).body.id as string;
  const reviewers = [];
  for (const name of ['Reviewer Rui', 'Reviewer Rita']) {
    const minted = (await t.api('POST', '/api/tokens', { body: { name, role: 'reviewer' } })).body;
    reviewers.push({ tokenId: minted.id as string, name, token: minted.token as string });
  }
  return { t, dataDir, cameraId, reviewers };
}

async function person(ctx: Ctx, name: string, list: 'watchlist' | 'employee', photos: SampleFace[]): Promise<string> {
  const res = await ctx.t.api('POST', '/api/persons', { body: { name, list, ...(list === 'employee' ? { consent: { method: 'signed-form' } } : {}) } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  for (const f of photos) {
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await referencePhoto(f))], { type: 'image/jpeg' }), 'photo.jpg');
    const up = await fetch(`${ctx.t.server.url}/api/persons/${res.body.id}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(up.status, 201, await up.text());
  }
  return res.body.id as string;
}

/** `variants.length` reviewed crops of one face, each an item with the given decision and labels. */
async function reviewed(ctx: Ctx, f: SampleFace, variants: number[], item: Omit<TestReviewItem, 'crop' | 'cameraId' | 'labels'> & { labels: Array<Omit<TestLabel, 'reviewer'>> }): Promise<void> {
  for (const v of variants) {
    await insertReviewedItem(ctx.t.server.database, ctx.dataDir, {
      ...item,
      cameraId: ctx.cameraId,
      crop: await faceCrop(f, v),
      labels: item.labels.map((l, i) => ({ ...l, reviewer: ctx.reviewers[i]! })),
    });
  }
}

async function liveReferences(ctx: Ctx): Promise<Array<{ id: string; personId: string; weight: number; source: string }>> {
  return ctx.t.server.database.dataSource.query(
    `SELECT id, person_id AS "personId", weight, source FROM face_reference WHERE removed_gallery_version IS NULL ORDER BY id`,
  ) as Promise<Array<{ id: string; personId: string; weight: number; source: string }>>;
}

/** Starts a refresh as the admin (202, running) and waits for its end through the status route. */
async function refreshRun(ctx: Ctx): Promise<RefreshRunView> {
  const started = await ctx.t.api('POST', '/api/model-versions/refresh');
  assert.equal(started.status, 202, JSON.stringify(started.body));
  const run = started.body.run as RefreshRunView;
  assert.deepEqual([run.status, run.trigger, run.requestedBy, run.result, run.error], ['running', 'admin', 'admin (VIGIL_ADMIN_TOKEN)', null, null]);
  return until(`refresh run ${run.id} to end`, 300_000, async () => {
    const latest = (await ctx.t.api('GET', '/api/model-versions/refresh', { token: ctx.reviewers[0]!.token })).body.run as RefreshRunView;
    assert.equal(latest.id, run.id, 'the status route shows the run just started');
    return latest.status === 'running' ? undefined : latest;
  }, 200);
}

/** A refresh that must finish (promoted or not): its result. */
async function refreshed(ctx: Ctx): Promise<RefreshResultView> {
  const run = await refreshRun(ctx);
  assert.equal(run.status, 'finished', run.error ?? '');
  assert.ok(run.finishedAt && run.finishedAt >= run.startedAt);
  return run.result!;
}

const five = [0, 1, 2, 3, 4];
const fiveMore = [5, 6, 7, 8, 9];

describe('model refresh promotes a better candidate, and rollback restores the previous version exactly', { timeout: 600_000 }, () => {
  let ctx: Ctx;
  let ana: string;
  let yara: string;
  let xavier: string;
  let wrongPhotoRef: string;
  let retiredByV2 = 0;
  let refsBefore: Awaited<ReturnType<typeof liveReferences>>;
  let result: RefreshResultView;

  before(async () => {
    ctx = await boot();
    const [faceAna, faceWrong, faceXavier, faceYara, faceWalker] = SAMPLE5 as [SampleFace, SampleFace, SampleFace, SampleFace, SampleFace];
    ana = await person(ctx, 'Ana Employee', 'employee', [faceAna]);
    yara = await person(ctx, 'Yara Employee', 'employee', []); // consented, no photo yet
    // Xavier's gallery holds a photo of someone else, uploaded by mistake: the source of false alerts.
    xavier = await person(ctx, 'Xavier Banned', 'watchlist', [faceXavier, faceWrong]);
    wrongPhotoRef = (await ctx.t.server.database.dataSource.query(`SELECT id FROM face_reference WHERE person_id = $1 ORDER BY created_at DESC LIMIT 1`, [xavier]))[0].id;
    // The site ran with the customary 0.6 thresholds.
    await ctx.t.server.database.dataSource.query(`UPDATE model_version SET thresholds = '{"watchlist":0.6,"employee":0.6,"margin":0.05}'::jsonb WHERE status = 'active'`);
    await ctx.t.server.app.get(ActiveModelVersion).reload();

    const both: Array<Omit<TestLabel, 'reviewer'>> = [{ label: 'FP', notEnrolled: true }, { label: 'FP', notEnrolled: true }];
    // The stranger whose photo sits in Xavier's gallery keeps raising alerts; two reviewers say "not enrolled".
    await reviewed(ctx, faceWrong, five, { kind: 'alert', candidatePersonId: xavier, status: 'confirmed', labels: both });
    // Ana is booked correctly.
    await reviewed(ctx, faceAna, five, { kind: 'attendance', candidatePersonId: ana, status: 'confirmed', labels: [{ label: 'TP' }] });
    // Yara was taken for Ana: "this is not Ana, it is Yara".
    await reviewed(ctx, faceYara, five, { kind: 'attendance', candidatePersonId: ana, status: 'confirmed', labels: [{ label: 'FP', actualPersonId: yara }] });
    // A passer-by nobody enrolled, sampled from the unknowns.
    await reviewed(ctx, faceWalker, five, { kind: 'unknown', candidatePersonId: null, status: 'labelled', labels: [{ label: 'TN' }] });
    // Xavier himself, confirmed by two reviewers.
    await reviewed(ctx, faceXavier, five, { kind: 'alert', candidatePersonId: xavier, status: 'confirmed', labels: [{ label: 'TP' }, { label: 'TP' }] });
    refsBefore = await liveReferences(ctx);
  });
  after(async () => {
    await ctx?.t.stop();
    if (ctx) rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  it('boots with an active v1 holding the default thresholds', async () => {
    const list = await ctx.t.api('GET', '/api/model-versions', { token: ctx.reviewers[0]!.token });
    assert.equal(list.status, 200);
    assert.equal(list.body.items.length, 1);
    assert.deepEqual([list.body.items[0].label, list.body.items[0].status, list.body.items[0].parentId], ['v1', 'active', null]);
    assert.equal(ctx.t.server.app.get(GalleryMatcher).modelVersionId, list.body.items[0].id);
    assert.deepEqual(ctx.t.server.app.get(GalleryMatcher).policy, { thresholds: { watchlist: 0.6, employee: 0.6 }, margin: 0.05 });
  });

  it('only an admin may refresh or roll back', async () => {
    assert.equal((await ctx.t.api('POST', '/api/model-versions/refresh', { token: ctx.reviewers[0]!.token })).status, 403);
    assert.equal((await ctx.t.api('POST', '/api/model-versions/1/rollback', { token: ctx.reviewers[0]!.token })).status, 403);
    assert.equal((await ctx.t.api('POST', '/api/model-versions/refresh', { token: null })).status, 401);
  });

  it('a refresh promotes the candidate that fixes the false alerts and learns Yara', async () => {
    assert.deepEqual((await ctx.t.api('GET', '/api/model-versions/refresh')).body, { run: null }, 'no run yet');
    result = await refreshed(ctx);
    console.log(`refresh: ${JSON.stringify({ promoted: result.promoted, reason: result.reason, before: result.before, after: result.after, thresholds: result.candidate.thresholds })}`);
    const m = result.candidate.metrics as any;
    assert.deepEqual(m.split.skipped, {}, 'every crop was usable');
    assert.deepEqual([m.split.usable, m.split.build, m.split.heldOut], [25, 20, 5], 'one of each five held out');
    assert.equal(result.promoted, true, result.reason);
    assert.equal(result.candidate.status, 'active');
    assert.equal(result.candidate.label, 'v2');
    assert.ok(result.before.fp >= 1, 'the stranger matched Xavier before');
    assert.equal(result.after.fp, 0);
    assert.equal(result.after.far, 0);
    assert.ok(result.after.accuracy! > result.before.accuracy!);
    assert.ok(result.candidate.thresholds.employee < 0.6, 'Ana and the stranger are 0.55 apart: the employee threshold tightened');
    assert.equal(result.candidate.thresholds.margin, 0.05);
    assert.match(m.calibration.employee.note, /conservative/);
  });

  it('the promoted version\'s references and thresholds are live, under its gallery version', async () => {
    const [v2] = (await ctx.t.server.database.dataSource.query(`SELECT gallery_version::text AS gv FROM model_version WHERE id = $1`, [result.candidate.id])) as Array<{ gv: string }>;
    const [wrong] = (await ctx.t.server.database.dataSource.query(`SELECT removed_gallery_version::text AS removed FROM face_reference WHERE id = $1`, [wrongPhotoRef])) as Array<{ removed: string }>;
    assert.equal(wrong!.removed, v2!.gv, 'the wrong photo left Xavier\'s gallery with v2');
    const added = (await ctx.t.server.database.dataSource.query(
      `SELECT person_id AS "personId", source, derived_from_id AS "derivedFrom", weight FROM face_reference WHERE added_gallery_version = $1`,
      [v2!.gv],
    )) as Array<{ personId: string; source: string; derivedFrom: string | null; weight: number }>;
    // Confirmed crops become references; a down-weighted reference is a re-weighted copy of its row.
    assert.ok(added.filter((r) => r.source === 'review').length >= 8);
    assert.ok(added.filter((r) => r.source !== 'review').every((r) => r.derivedFrom !== null && Number(r.weight) < 1), JSON.stringify(added));
    retiredByV2 = Number(
      ((await ctx.t.server.database.dataSource.query(
        `SELECT count(*)::int AS n FROM face_reference WHERE removed_gallery_version = $1 AND added_gallery_version <> $1`,
        [v2!.gv],
      )) as Array<{ n: number }>)[0]!.n,
    );
    assert.ok(retiredByV2 >= 1, 'the wrong photo at least');
    assert.ok(added.some((r) => r.personId === yara), 'Yara\'s confirmed crops became her references');
    assert.ok(added.some((r) => r.personId === ana) && added.some((r) => r.personId === xavier));
    const matcher = ctx.t.server.app.get(GalleryMatcher);
    await matcher.settled();
    assert.equal(matcher.modelVersionId, result.candidate.id);
    assert.deepEqual(matcher.policy.thresholds, { watchlist: result.candidate.thresholds.watchlist, employee: result.candidate.thresholds.employee });
    const audit = await ctx.t.server.database.repos.audit.forObject('model_version', String(result.candidate.id));
    assert.deepEqual(audit.map((a) => a.action), ['model_version.promote']);
    const list = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
    assert.deepEqual(list.map((v) => [v.label, v.status]), [['v2', 'active'], ['v1', 'retired']]);
    assert.ok(list[0]!.metrics && list[0]!.decisionReason && list[0]!.promotedAt);
  });

  it('alerts raised from now on record the version that decided them', async () => {
    const kiosk = (await ctx.t.api('POST', '/api/tokens', { body: { name: 'Kiosk', role: 'kiosk', liveness: 'off' } })).body.token as string;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await referencePhoto(SAMPLE5[2]!))], { type: 'image/jpeg' }), 'frame.jpg');
    const res = await fetch(`${ctx.t.server.url}/api/kiosk/check`, { method: 'POST', headers: { authorization: `Bearer ${kiosk}` }, body: form });
    assert.equal(res.status, 200);
    const [alert] = (await ctx.t.server.database.dataSource.query(`SELECT model_version_id AS v FROM alert WHERE camera_id IS NULL`)) as Array<{ v: number }>;
    assert.equal(alert!.v, result.candidate.id);
  });

  it('rollback refuses what cannot be restored', async () => {
    assert.equal((await ctx.t.api('POST', `/api/model-versions/${result.candidate.id}/rollback`)).status, 409);
    assert.equal((await ctx.t.api('POST', '/api/model-versions/999/rollback')).status, 404);
    assert.equal((await ctx.t.api('POST', '/api/model-versions/abc/rollback')).status, 400);
  });

  it('one call rolls back to v1: its exact references and thresholds, audited', async () => {
    const res = await ctx.t.api('POST', '/api/model-versions/1/rollback');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual([res.body.active.id, res.body.active.status], [1, 'active']);
    assert.deepEqual(res.body.active.thresholds, { watchlist: 0.6, employee: 0.6, margin: 0.05 });
    assert.deepEqual(await liveReferences(ctx), refsBefore, 'the same reference rows, with the same weights');
    const matcher = ctx.t.server.app.get(GalleryMatcher);
    await matcher.settled();
    assert.equal(matcher.modelVersionId, 1);
    assert.deepEqual(matcher.policy, { thresholds: { watchlist: 0.6, employee: 0.6 }, margin: 0.05 });
    const list = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
    assert.deepEqual(list.map((v) => [v.label, v.status]), [['v2', 'retired'], ['v1', 'active']]);
    assert.match(list[0]!.decisionReason!, /Rolled back to v1 by /);
    const audit = await ctx.t.server.database.repos.audit.forObject('model_version', '1');
    const rollback = audit.find((a) => a.action === 'model_version.rollback');
    assert.ok(rollback);
    assert.equal((rollback.details as any).restoredReferences, retiredByV2, 'every v1 row v2 took out (removed or re-weighted) comes back');
    assert.ok((rollback.details as any).retractedReferences >= 8);
    assert.equal((await ctx.t.api('POST', '/api/model-versions/2/rollback')).status, 409, 'a rolled-back version is no predecessor of v1');
  });
});

describe('model refresh refuses a worse candidate and leaves the live gallery alone', { timeout: 600_000 }, () => {
  let ctx: Ctx;
  let xavier: string;
  let ana: string;

  before(async () => {
    ctx = await boot();
    const [faceXavier, faceAna] = SAMPLE6 as [SampleFace, SampleFace];
    xavier = await person(ctx, 'Xavier Banned', 'watchlist', [faceXavier]);
    ana = await person(ctx, 'Ana Employee', 'employee', [faceAna]);
    // Two reviewers wrongly decided that Xavier's real alerts were a stranger...
    await reviewed(ctx, faceXavier, five, { kind: 'alert', candidatePersonId: xavier, status: 'confirmed', labels: [{ label: 'FP', notEnrolled: true }, { label: 'FP', notEnrolled: true }] });
    // ...while other reviewers labelled his alerts correctly (one label each: not yet confirmed).
    await reviewed(ctx, faceXavier, [...fiveMore, 10, 11, 12, 13, 14], { kind: 'alert', candidatePersonId: xavier, status: 'labelled', labels: [{ label: 'TP' }] });
    await reviewed(ctx, faceAna, five, { kind: 'attendance', candidatePersonId: ana, status: 'confirmed', labels: [{ label: 'TP' }] });
  });
  after(async () => {
    await ctx?.t.stop();
    if (ctx) rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  it('rejects the candidate that would stop recognising Xavier, records why, changes nothing live', async () => {
    const refsBefore = await liveReferences(ctx);
    const r = await refreshed(ctx);
    console.log(`refresh: ${JSON.stringify({ promoted: r.promoted, reason: r.reason, before: r.before, after: r.after })}`);
    assert.equal(r.promoted, false);
    assert.equal(r.candidate.status, 'rejected');
    assert.equal((r.candidate.metrics as any).decision.rule, 'accuracy_loss');
    assert.match(r.reason, /loses more than 1\.00 % accuracy/);
    assert.ok(r.after.accuracy! < r.before.accuracy!);
    assert.ok((r.candidate.metrics as any).changes.downWeighted.length === 1, 'the plan down-weighted Xavier\'s only photo');
    assert.deepEqual(await liveReferences(ctx), refsBefore, 'the live gallery is untouched');
    const versions = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
    assert.deepEqual(versions.map((v) => [v.label, v.status]), [['v2', 'rejected'], ['v1', 'active']]);
    assert.equal(versions[0]!.decisionReason, r.reason);
    assert.equal(ctx.t.server.app.get(GalleryMatcher).modelVersionId, versions[1]!.id);
    const audit = await ctx.t.server.database.repos.audit.forObject('model_version', String(r.candidate.id));
    assert.deepEqual(audit.map((a) => [a.action, a.actorRole]), [['model_version.reject', 'admin']]);
    assert.equal((await ctx.t.api('POST', `/api/model-versions/${r.candidate.id}/rollback`)).status, 409, 'a rejected version cannot be activated');
  });

  it('the schedule is off by default, runs when due and new labels exist, as the system', async () => {
    const scheduler = ctx.t.server.app.get(RefreshScheduler);
    assert.equal(await scheduler.tick(), false, 'off by default');
    await ctx.t.server.database.repos.settings.set('lifecycle.refresh', { intervalHours: 1000 });
    assert.equal(await scheduler.tick(), false, 'not due');
    await ctx.t.server.database.repos.settings.set('lifecycle.refresh', { intervalHours: 1 });
    assert.equal(await scheduler.tick(new Date(Date.now() + 2 * 3_600_000)), false, 'due, but nothing labelled since the last refresh');
    await reviewed(ctx, SAMPLE6[1]!, [5], { kind: 'attendance', candidatePersonId: ana, status: 'confirmed', labels: [{ label: 'TP' }] });
    assert.equal(await scheduler.tick(new Date(Date.now() + 2 * 3_600_000)), true);
    const versions = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
    assert.equal(versions.length, 3);
    const audit = await ctx.t.server.database.repos.audit.forObject('model_version', String(versions[0]!.id));
    assert.equal(audit[0]!.actorName, 'system');
  });

  it('a stored setting that makes no sense is refused with its name', async () => {
    await ctx.t.server.database.repos.settings.set('lifecycle.refresh', { heldOutPercent: 99 });
    const res = await ctx.t.api('POST', '/api/model-versions/refresh');
    assert.equal(res.status, 409);
    assert.match(res.body.message, /lifecycle\.refresh\.heldOutPercent must be an integer percentage from 5 to 50/);
    await ctx.t.server.database.repos.settings.set('lifecycle.refresh', { heldOutPercent: 20 });
  });

  it('a version another process activates is served here after the poll', async () => {
    const db = ctx.t.server.database;
    const other = await db.transaction(async (repos) => {
      await repos.modelVersions.lockVersions();
      const active = (await repos.modelVersions.active())!;
      await repos.modelVersions.setStatus(active.id, 'retired');
      return repos.modelVersions.insert({ ...active, label: 'other-process', status: 'active', thresholds: { watchlist: 0.35, employee: 0.42, margin: 0.06 }, parentId: active.id, galleryVersion: await repos.faceReferences.nextGalleryVersion(), promotedAt: new Date() });
    });
    const matcher = ctx.t.server.app.get(GalleryMatcher);
    await until('the poll to serve the other process\'s version', 20_000, () => (matcher.modelVersionId === other.id ? true : undefined));
    assert.deepEqual(matcher.policy, { thresholds: { watchlist: 0.35, employee: 0.42 }, margin: 0.06 });
  });

  it('runs one refresh at a time in the background; a run that loses a race fails with why and records nothing', async () => {
    const db = ctx.t.server.database;
    const refresher = ctx.t.server.app.get(RefreshService);
    // Hold the run at its first crop, so the test decides what happens while it runs.
    const embedder = ctx.t.server.app.get(CropEmbedder);
    const embed = embedder.embed.bind(embedder);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    embedder.embed = async (p) => {
      await gate;
      return embed(p);
    };
    try {
      const started = await ctx.t.api('POST', '/api/model-versions/refresh');
      assert.equal(started.status, 202);
      const again = await ctx.t.api('POST', '/api/model-versions/refresh');
      assert.equal(again.status, 409);
      assert.match(again.body.message, /already running/);
      await assert.rejects(refresher.refresh(null), ConflictError, 'the schedule cannot start a second one either');
      assert.equal((await ctx.t.api('GET', '/api/model-versions/refresh')).body.run.status, 'running');

      const versionsBefore = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
      await db.transaction(async (repos) => {
        await repos.modelVersions.lockVersions();
        const active = (await repos.modelVersions.active())!;
        await repos.modelVersions.setStatus(active.id, 'retired');
        await repos.modelVersions.insert({ ...active, label: 'raced', status: 'active', parentId: active.id, galleryVersion: await repos.faceReferences.nextGalleryVersion(), promotedAt: new Date() });
      });
      release();
      const run = await until('the raced run to end', 120_000, async () => {
        const latest = (await ctx.t.api('GET', '/api/model-versions/refresh')).body.run as RefreshRunView;
        return latest.status === 'running' ? undefined : latest;
      });
      assert.equal(run.id, started.body.run.id);
      assert.equal(run.status, 'failed');
      assert.equal(run.result, null);
      assert.match(run.error!, /The active version changed to raced while this refresh ran; refresh again\./);
      const versionsAfter = (await ctx.t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
      assert.deepEqual(versionsAfter.map((v) => v.label), ['raced', ...versionsBefore.map((v) => v.label)], 'only the racing version was added');
      assert.equal((await ctx.t.api('POST', '/api/model-versions/refresh')).status, 202, 'a new refresh may start after a failed one');
      await until('the next run to end', 120_000, async () => ((await ctx.t.api('GET', '/api/model-versions/refresh')).body.run.status === 'running' ? undefined : true));
    } finally {
      release();
      embedder.embed = embed;
    }
  });
});
