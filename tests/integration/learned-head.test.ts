import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ModelVersionView, RefreshRunView } from '@vigil/contracts';
import { applyHead, decideMatch, decodeHead, euclideanDistance, l2Normalize, mulberry32, NORMALISED_DESCRIPTOR_LENGTH, type MatchPolicy } from '@vigil/domain';
import { loadGallerySnapshot } from '@vigil/scan';
import { EMBEDDING_MODEL_ID } from '@vigil/vision';
import { CropEmbedder, type CropEmbedding } from '../../apps/server/src/model-versions/crop-embedder';
import { GalleryMatcher } from '../../apps/server/src/recognition/gallery-matcher.service';
import { insertReviewedItem } from '../support/reviewed-items';
import { until } from '../support/socket-client';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../support/test-server';
import type { VigilConfig } from '@vigil/config';
import { trainHeadFromReviews } from '../../apps/cli/src/commands/train-head-reviews';

/**
 * Learned-head candidates end to end on synthetic descriptors (the crop embedder is replaced by a
 * table: no image is decoded), so what is tested is the lifecycle, not the network: too little
 * data is refused, a head that cannot beat the champion on held-out persons is recorded and
 * rejected, one that can is promoted and the matcher projects gallery and probes through it, and a
 * rollback restores raw matching.
 */

const random = mulberry32(42);
const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());

/** A person's face: identity in coordinates 0–15; `nuisance` scales a person-independent variation in 16–31. */
function face(centre: number[], nuisance: number): Float32Array {
  const d = new Float32Array(128);
  for (let i = 0; i < 16; i++) d[i] = centre[i]! + 0.08 * gauss();
  for (let i = 16; i < 32; i++) d[i] = nuisance * gauss();
  for (let i = 32; i < 128; i++) d[i] = 0.03 * gauss();
  return l2Normalize(d, NORMALISED_DESCRIPTOR_LENGTH);
}
const centre = () => Array.from({ length: 16 }, () => gauss());

describe('learned head candidates: trained on some persons, judged on others, applied inside the matcher', { timeout: 300_000 }, () => {
  let t: TestServer;
  let dataDir: string;
  let cameraId: string;
  const reviewers: Array<{ tokenId: string; name: string }> = [];
  const crops = new Map<string, Float32Array>();
  let headVersion: ModelVersionView;

  async function addPerson(name: string, refs: Float32Array[]): Promise<string> {
    const res = await t.api('POST', '/api/persons', { body: { name, list: 'watchlist' } });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.id as string;
    await t.server.database.transaction(async (repos) => {
      const gv = await repos.faceReferences.nextGalleryVersion();
      for (const embedding of refs) await repos.galleryVersions.add({ personId: id, embedding, modelId: EMBEDDING_MODEL_ID, source: 'upload' }, gv);
    });
    return id;
  }

  async function crop(descriptor: Float32Array, candidatePersonId: string | null, truth: 'TP' | 'TN'): Promise<void> {
    const { cropMediaId } = await insertReviewedItem(t.server.database, dataDir, {
      kind: truth === 'TP' ? 'alert' : 'unknown',
      cameraId,
      candidatePersonId,
      crop: Buffer.from(`crop ${crops.size}`),
      status: truth === 'TP' ? 'confirmed' : 'labelled',
      labels: truth === 'TP' ? [{ label: 'TP', reviewer: reviewers[0]! }, { label: 'TP', reviewer: reviewers[1]! }] : [{ label: 'TN', reviewer: reviewers[0]! }],
    });
    const [row] = (await t.server.database.dataSource.query(`SELECT path FROM media WHERE id = $1`, [cropMediaId])) as Array<{ path: string }>;
    crops.set(row!.path, descriptor);
  }

  /** Persons with two references each and `reviewed` confirmed crops, plus `strangers` reviewed unknowns. */
  async function population(prefix: string, persons: number, reviewed: number, nuisance: number, strangers: number): Promise<void> {
    for (let p = 0; p < persons; p++) {
      const c = centre();
      const id = await addPerson(`${prefix} ${p}`, [face(c, nuisance), face(c, nuisance)]);
      for (let k = 0; k < reviewed; k++) await crop(face(c, nuisance), id, 'TP');
    }
    for (let s = 0; s < strangers; s++) await crop(face(centre(), nuisance), null, 'TN');
  }

  async function headRun(): Promise<RefreshRunView> {
    const started = await t.api('POST', '/api/model-versions/head', { body: { epochs: 20 } });
    assert.equal(started.status, 202, JSON.stringify(started.body));
    assert.equal((started.body.run as RefreshRunView).kind, 'head');
    return until('the head run to end', 240_000, async () => {
      const run = (await t.api('GET', '/api/model-versions/refresh')).body.run as RefreshRunView;
      return run.status === 'running' ? undefined : run;
    }, 200);
  }

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-head-'));
    t = await startTestServer({ VIGIL_INFERENCE_WORKERS: '1', VIGIL_DATA_DIR: dataDir });
    cameraId = (await t.api('POST', '/api/cameras', { body: { name: 'Gate', url: 'rtsp://10.0.0.1/gate', enabled: false } })).body.id as string;
    for (const name of ['Reviewer Rui', 'Reviewer Rita']) {
      const minted = (await t.api('POST', '/api/tokens', { body: { name, role: 'reviewer' } })).body;
      reviewers.push({ tokenId: minted.id as string, name });
    }
    const embedder = t.server.app.get(CropEmbedder);
    embedder.embed = async (p: string | null): Promise<CropEmbedding> => {
      const d = p ? crops.get(p) : undefined;
      return d ? { ok: true, embedding: d, qualityOk: true, quality: {} } : { ok: false, reason: 'crop_missing' };
    };
  });
  after(async () => {
    await t?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses with 422, naming what is needed, when too few people have two faces; only admins may ask', async () => {
    await addPerson('Lone Person', [face(centre(), 0)]);
    const res = await t.api('POST', '/api/model-versions/head', { body: {} });
    assert.equal(res.status, 422);
    assert.match(res.body.message, /needs at least 4 people with 2 or more faces .*there are 0.*Nothing was changed/);
    assert.equal((await t.api('GET', '/api/model-versions')).body.items.length, 1);
    assert.equal((await t.api('POST', '/api/model-versions/head', { body: { epochs: 0 } })).status, 400);
  });

  it('vigil train-head --from reviews says the same on the terminal (exit 2), and names a server that does not answer', async () => {
    const { hostname, port } = new URL(t.server.url);
    const cli = async (config: Partial<VigilConfig>) => {
      let stderr = '';
      const code = await trainHeadFromReviews({ epochs: 5, json: false, quiet: true }, config as VigilConfig, () => {}, (text) => (stderr += text));
      return { code, stderr };
    };
    const refused = await cli({ adminToken: TEST_ADMIN_TOKEN, host: hostname, port: Number(port) });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /needs at least 4 people with 2 or more faces .*Nothing was changed/);
    await assert.rejects(cli({ adminToken: undefined, host: hostname, port: Number(port) }), /needs VIGIL_ADMIN_TOKEN/);
    // A closed port on loopback (the server's own port once it is gone is not knowable here; port 9 is discard).
    await assert.rejects(cli({ adminToken: TEST_ADMIN_TOKEN, host: '127.0.0.1', port: 9 }), /no Vigil server answers at http:\/\/127\.0\.0\.1:9\/api\/model-versions/);
  });

  it('records and rejects a head that does not beat the champion on held-out persons; the matcher stays raw', async () => {
    // Clean faces: the base model already separates everyone, a head can at best tie.
    await population('Clean', 8, 3, 0, 6);
    const run = await headRun();
    assert.equal(run.status, 'finished', run.error ?? '');
    const r = run.result!;
    console.log(`head (clean): ${JSON.stringify({ promoted: r.promoted, reason: r.reason, split: (r.candidate.metrics as any).split })}`);
    assert.equal(r.promoted, false, r.reason);
    assert.equal(r.candidate.status, 'rejected');
    assert.ok(r.candidate.head && r.candidate.head.dims === 128, 'the candidate carries its head');
    const split = (r.candidate.metrics as any).split;
    assert.ok(split.heldOutPersons >= 1 && split.trainPersons >= 4 && split.heldOut >= 3, JSON.stringify(split));
    const matcher = t.server.app.get(GalleryMatcher);
    await matcher.settled();
    assert.equal(matcher.head, null);
  });

  it('promotes a head that beats the champion on held-out persons; gallery and probes are projected inside the matcher', async () => {
    // Faces with a strong person-independent nuisance (light, pose): raw distances are dominated by it.
    await population('Noisy', 24, 3, 0.3, 8);
    const run = await headRun();
    assert.equal(run.status, 'finished', run.error ?? '');
    const r = run.result!;
    const m = r.candidate.metrics as any;
    console.log(`head (noisy): ${JSON.stringify({ promoted: r.promoted, reason: r.reason, before: [r.before.tp, r.before.fn, r.before.fp], after: [r.after.tp, r.after.fn, r.after.fp], training: m.head })}`);
    assert.equal(r.promoted, true, r.reason);
    assert.ok(r.after.accuracy! > r.before.accuracy!);
    assert.ok(m.head.lossAfter < m.head.lossBefore);
    headVersion = r.candidate;
    const matcher = t.server.app.get(GalleryMatcher);
    await until('the matcher to serve the head', 20_000, async () => {
      await matcher.settled();
      return matcher.head?.key === headVersion.head!.key ? true : undefined;
    });
    assert.equal(matcher.modelVersionId, headVersion.id);
    // Every decision is the head-space one: probe and references projected, the head's thresholds.
    const [row] = (await t.server.database.dataSource.query(`SELECT head FROM model_version WHERE id = $1`, [headVersion.id])) as Array<{ head: unknown }>;
    const head = decodeHead(row!.head);
    const refs = await t.server.database.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
    const policy: MatchPolicy = { thresholds: { watchlist: headVersion.thresholds.watchlist, employee: headVersion.thresholds.employee }, margin: headVersion.thresholds.margin };
    const decide = (probe: Float32Array, project: (d: Float32Array) => Float32Array, p: MatchPolicy) => {
      const best = new Map<string, { personId: string; list: 'watchlist' | 'employee'; distance: number }>();
      for (const ref of refs) {
        const d = euclideanDistance(project(probe), project(Float32Array.from(ref.embedding)));
        const cur = best.get(ref.personId);
        if (!cur || d < cur.distance) best.set(ref.personId, { personId: ref.personId, list: ref.list, distance: d });
      }
      return decideMatch([...best.values()].sort((a, b) => a.distance - b.distance).slice(0, 2), p);
    };
    let differs = 0;
    for (const probe of [...crops.values()].slice(-40)) {
      const got = matcher.match(probe);
      const want = decide(probe, (d) => applyHead(head, d), policy);
      assert.equal(got.kind, want.kind);
      if (got.kind === 'match' && want.kind === 'match') assert.equal(got.personId, want.personId);
      const raw = decide(probe, (d) => d, policy);
      if (raw.kind !== want.kind || (raw.kind === 'match' && want.kind === 'match' && raw.personId !== want.personId)) differs++;
    }
    assert.ok(differs > 0, 'some probes decide differently in the head space (else this test proves nothing)');
    // vigil scan reads the gallery itself (no server): the same head, the same decisions.
    const snapshot = await loadGallerySnapshot(t.server.database);
    for (const probe of [...crops.values()].slice(-40)) {
      const live = matcher.match(probe);
      const scanned = snapshot.match(probe);
      assert.equal(scanned.kind, live.kind);
      if (scanned.kind === 'match' && live.kind === 'match') assert.deepEqual([scanned.personId, scanned.distance.toFixed(5)], [live.personId, live.distance.toFixed(5)]);
    }
  });

  it('rollback restores raw matching and the previous thresholds', async () => {
    const versions = (await t.api('GET', '/api/model-versions')).body.items as ModelVersionView[];
    const res = await t.api('POST', `/api/model-versions/${headVersion.parentId}/rollback`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.active.head, null);
    const matcher = t.server.app.get(GalleryMatcher);
    await until('the matcher to drop the head', 20_000, async () => {
      await matcher.settled();
      return matcher.head === null ? true : undefined;
    });
    assert.equal(matcher.modelVersionId, headVersion.parentId);
    const v1 = versions.find((v) => v.id === headVersion.parentId)!;
    assert.deepEqual(matcher.policy.thresholds, { watchlist: v1.thresholds.watchlist, employee: v1.thresholds.employee });
    const refs = await t.server.database.repos.faceReferences.currentWithList(EMBEDDING_MODEL_ID);
    const probe = [...crops.values()].at(-1)!;
    const best = Math.min(...refs.map((r) => euclideanDistance(probe, Float32Array.from(r.embedding))));
    const got = matcher.match(probe);
    if (got.kind === 'match') assert.ok(Math.abs(got.distance - best) < 1e-5, 'raw distance to the nearest reference');
    else assert.ok(best > v1.thresholds.watchlist - 1e-9);
  });
});
