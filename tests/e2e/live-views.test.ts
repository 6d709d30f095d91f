import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import type { CameraOverlayView, RecognitionAttemptsView } from '@vigil/contracts';
// Test fixtures are deliberately not part of @vigil/vision's public API.
// eslint-disable-next-line no-restricted-imports
import { samplePhotoPath } from '../../libs/vision/src/testing/sample-photos';
import { until } from '../support/socket-client';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-live-'));
const env = { VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1', VIGIL_ALLOW_FILE_URLS: '1', VIGIL_DATA_DIR: dir };
let db: TestDatabase;
let t: TestServer;
let clip: string;
let walterJpeg: Buffer;

/** Sum of a Prometheus counter's samples whose labels contain every given pair. */
async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const text = await (await fetch(`${t.server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } })).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

const inferenceReady = () =>
  until('inference ready', 120_000, async () => ((await t.api('GET', '/api/health')).body.inference.status === 'ready' ? true : undefined));

async function addCamera(name: string, fps = 5): Promise<string> {
  const cam = await t.api('POST', '/api/cameras', { body: { name, url: pathToFileURL(clip).toString(), fps, settings: { motionSensitivity: 1 } } });
  assert.equal(cam.status, 201, JSON.stringify(cam.body));
  return cam.body.id as string;
}

describe('live views of a camera and the scheduler\'s drop reasons', { timeout: 400_000 }, () => {
  let personId: string;
  let cameraId: string;
  let security: string;

  before(async () => {
    walterJpeg = await sharp(samplePhotoPath(1)).extract({ left: 250, top: 180, width: 500, height: 560 }).jpeg({ quality: 95 }).toBuffer();
    const still = path.join(dir, 'walter.jpg');
    await sharp(walterJpeg).toFile(still);
    clip = path.join(dir, 'walter.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-loop', '1', '-i', still, '-t', '6', '-r', '25',
      '-vf', 'scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2', '-c:v', 'libx264', '-preset', 'ultrafast',
      '-g', '25', '-bf', '0', '-pix_fmt', 'yuv420p', clip]);
    db = await createTestDatabase();
    t = await startTestServer(env, { db });
    await inferenceReady();
    security = (await t.api('POST', '/api/tokens', { body: { name: 'Desk', role: 'security' } })).body.token;
  });
  after(async () => {
    await t?.stop();
    await db?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with nobody enrolled, frames are dropped as "no_gallery"; the snapshot already shows the camera', async () => {
    cameraId = await addCamera('Door');
    await until('no_gallery drops', 30_000, async () => ((await counter('vigil_recognition_dropped_frames_total', { camera_id: cameraId, reason: 'no_gallery' })) > 0 ? true : undefined), 250);
    // Two requests at once: the camera's snapshot cooldown lets exactly one through (asked one after
    // the other, the second could arrive after the 500 ms window on a loaded machine).
    const ask = () => fetch(`${t.server.url}/api/cameras/${cameraId}/snapshot`, { headers: { authorization: `Bearer ${security}` } });
    const [snap, again] = await until('snapshot', 30_000, async () => {
      const pair = await Promise.all([ask(), ask()]);
      if (!pair.some((r) => r.status === 200)) return undefined;
      return pair[0]!.status === 200 ? pair : [pair[1]!, pair[0]!];
    }, 600);
    assert.equal(snap!.headers.get('content-type'), 'image/jpeg');
    assert.equal(snap!.headers.get('cache-control'), 'private, no-store');
    const meta = await sharp(Buffer.from(await snap!.arrayBuffer())).metadata();
    assert.deepEqual([meta.width, meta.height], [960, 540], 'scaled for a screen');
    assert.equal(again!.status, 429, 'a second snapshot at once is refused');
    assert.match(((await again.json()) as { message: string }).message, /again in a second/);
  });

  it('attempts show each analysed face with the nearest person, distance and threshold; enrol from one', async () => {
    personId = (await t.api('POST', '/api/persons', { body: { name: 'Watch Walter', list: 'watchlist' } })).body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(walterJpeg)], { type: 'image/jpeg' }), 'walter.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${personId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());

    const view = await until('a decided attempt', 90_000, async () => {
      const res = await t.api('GET', `/api/cameras/${cameraId}/attempts`);
      const v = res.body as RecognitionAttemptsView;
      return v.items?.some((a) => a.vote.state === 'match') ? v : undefined;
    }, 500);
    assert.equal(view.capacity, 200);
    assert.equal(view.keptSeconds, 300);
    const decided = view.items.find((a) => a.vote.state === 'match')!;
    assert.equal(decided.vote.personName, 'Watch Walter');
    assert.equal(decided.nearest?.personName, 'Watch Walter');
    assert.equal(decided.nearest?.list, 'watchlist');
    assert.ok(decided.nearest!.distance <= decided.nearest!.threshold, JSON.stringify(decided.nearest));
    assert.ok(decided.quality.ok);
    assert.deepEqual(Object.keys(decided.box).sort(), ['height', 'width', 'x', 'y']);
    assert.ok(!('descriptor' in decided) && !JSON.stringify(view).includes('descriptor'), 'no embedding leaves the worker');
    const times = view.items.map((a) => Date.parse(a.at));
    assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');

    assert.ok(decided.thumbnailUrl, 'a matched face keeps a thumbnail');
    const thumb = await fetch(`${t.server.url}${decided.thumbnailUrl}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    assert.equal(thumb.status, 200);
    assert.equal(thumb.headers.get('content-type'), 'image/jpeg');

    for (const route of [`/api/cameras/${cameraId}/attempts`, decided.thumbnailUrl]) {
      assert.equal((await t.api('GET', route, { token: security })).status, 403, `${route} is for administrators`);
    }
    const overlay = (await t.api('GET', `/api/cameras/${cameraId}/overlay`, { token: security })).body as CameraOverlayView;
    assert.deepEqual([overlay.width, overlay.height], [1280, 720]);
    assert.ok(overlay.faces.length >= 1 && overlay.faces.every((f) => f.box.width > 50), JSON.stringify(overlay));

    const missing = await t.api('POST', `/api/cameras/${cameraId}/attempts/00000000-0000-4000-8000-000000000000/enrol`, { body: { personId } });
    assert.equal(missing.status, 404);
    assert.match(missing.body.message, /no longer kept/);
    const bad = await t.api('POST', `/api/cameras/${cameraId}/attempts/${decided.id}/enrol`, { body: { personId: 'walter' } });
    assert.equal(bad.status, 400);
    const before = (await t.api('GET', `/api/persons/${personId}/faces`)).body.length;
    const fromAttempt = await t.api('POST', `/api/cameras/${cameraId}/attempts/${decided.id}/enrol`, { body: { personId } });
    assert.equal(fromAttempt.status, 201, JSON.stringify(fromAttempt.body));
    assert.ok(fromAttempt.body.quality);
    const refs = (await t.api('GET', `/api/persons/${personId}/faces`)).body as Array<{ source: string }>;
    assert.equal(refs.length, before + 1, 'a second reference');
    assert.equal(refs.filter((r) => r.source === 'camera').length, 1, 'recorded as taken from a camera');
    const [audit] = (await t.server.database.dataSource.query(
      `SELECT details->>'cameraId' AS camera, details->>'attemptId' AS attempt FROM audit_event WHERE action = 'face.enrol' AND details->>'source' = 'camera'`,
    )) as Array<{ camera: string; attempt: string }>;
    assert.deepEqual(audit, { camera: cameraId, attempt: decided.id }, 'the audit names the camera and attempt');
  });

  it('more cameras than the machine can analyse: drops counted as "busy" and "queue_full"', async () => {
    // 1 worker, a queue of 2, one analysis in flight per camera: five cameras at 10 fps overflow it.
    const extra = [];
    for (let i = 0; i < 5; i++) extra.push(await addCamera(`Crowd ${i}`, 10));
    const all = [cameraId, ...extra];
    const sum = async (reason: string) => (await Promise.all(all.map((id) => counter('vigil_recognition_dropped_frames_total', { camera_id: id, reason })))).reduce((a, b) => a + b, 0);
    await until('queue_full drops', 90_000, async () => ((await sum('queue_full')) > 0 ? true : undefined), 500);
    assert.ok((await sum('busy')) > 0, 'frames arriving while a camera is in analysis are counted as busy');
    for (const id of extra) await t.api('DELETE', `/api/cameras/${id}`);
  });

  it('after a restart, frames that arrive while the models load are dropped as "not_ready"', async () => {
    await t.stop();
    t = await startTestServer(env, { db });
    await until('not_ready drops', 60_000, async () => ((await counter('vigil_recognition_dropped_frames_total', { camera_id: cameraId, reason: 'not_ready' })) > 0 ? true : undefined), 200);
    await inferenceReady();
  });
});
