// @engine-independent: the job rows' rules run on both engines in tests/integration/scan-jobs.test.ts; this drives the HTTP + socket path.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import type { ScanJobView, ScanReportView } from '@vigil/contracts';
import { Database } from '@vigil/persistence';
import { referencePhoto, SAMPLE5, SAMPLE6 } from '../support/face-crops';
import { queueClip, SPOT, type Shot } from '../support/queue-clips';
import { connectSocket, until } from '../support/socket-client';
import { startTestServer, TestServer, TEST_ADMIN_TOKEN } from '../support/test-server';

const WATCHED = SAMPLE5[0]!;
const STRANGER = SAMPLE6[0]!;
/** The watchlist person steps in front of the camera at this second, after a stranger. */
const APPEARS_AT = 3;
const SHOTS: Shot[] = [
  { seconds: APPEARS_AT, people: [{ face: STRANGER, variant: 9, x: SPOT.centre }] },
  { seconds: 3, people: [{ face: WATCHED, variant: 9, x: SPOT.centre }] },
];

/**
 * Scan jobs from the admin console (issue #15), over HTTP and socket.io as the console uses them,
 * on one server with both roles: upload → probe → queued → a worker runs it with live progress →
 * report; refused uploads leave no job; a truncated file fails; cancel; a dead worker's job fails.
 */
describe('scan jobs from the admin console', { timeout: 240_000 }, () => {
  let t: TestServer;
  let socket: Socket;
  let dataDir: string;
  let work: string;
  let clip: string;
  let watchedId: string;
  const orphanId = randomUUID();
  const pushes: ScanJobView[] = [];

  async function upload(file: string | Buffer, name: string, list = 'watchlist'): Promise<{ status: number; body: any }> {
    const form = new FormData();
    form.append('list', list);
    form.append('file', new Blob([new Uint8Array(typeof file === 'string' ? readFileSync(file) : file)]), name);
    const res = await fetch(`${t.server.url}/api/scans`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  const job = async (id: string): Promise<ScanJobView> => (await t.api('GET', `/api/scans/${id}`)).body as ScanJobView;
  const ended = (id: string) => until(`scan ${id} to end`, 90_000, async () => {
    const j = await job(id);
    return ['finished', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  }, 250);
  /** Job folders left on disk (uploads and reports). */
  const folders = () => (existsSync(path.join(dataDir, 'scans')) ? readdirSync(path.join(dataDir, 'scans')) : []);

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-scans-'));
    work = mkdtempSync(path.join(tmpdir(), 'vigil-scan-files-'));
    clip = await queueClip('scan-known-second', SHOTS, 1);
    t = await startTestServer({
      VIGIL_ROLES: 'api,worker',
      VIGIL_DEMO: '0',
      VIGIL_INFERENCE_WORKERS: '1',
      VIGIL_DATA_DIR: dataDir,
      VIGIL_WORKER_NAME: 'scan-e2e',
      VIGIL_SCAN_MAX_UPLOAD_MB: '1',
      LOG_LEVEL: process.env.SCAN_TEST_LOG ?? 'silent',
    });
    // A worker that stopped beating an hour ago, holding a running job (as after kill -9 of its process).
    const dead = randomUUID();
    const sql = t.server.app.get(Database).dataSource;
    await sql.query(`INSERT INTO worker_node (id, name, capacity, heartbeat_at, started_at) VALUES ($1, 'dead-worker', 1, now() - interval '1 hour', now() - interval '2 hours')`, [dead]);
    await sql.query(
      `INSERT INTO scan_job (id, status, list, original_name, media_path, size_bytes, probe, requested_by_name, worker_id, worker_name, started_at)
       VALUES ($1, 'running', 'watchlist', 'orphan.mp4', $2, 1, '{}'::jsonb, 'Ada', $3, 'dead-worker', now() - interval '1 hour')`,
      [orphanId, `${orphanId}/upload/upload.mp4`, dead],
    );
    socket = await connectSocket(t.server.url, { token: TEST_ADMIN_TOKEN }, (s) => s.on('scan.progress', (e: ScanJobView) => pushes.push(e)));
    const created = await t.api('POST', '/api/persons', { body: { name: 'Wanted Scan', list: 'watchlist' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    watchedId = created.body.id;
    const form = new FormData();
    form.append('image', new Blob([new Uint8Array(await referencePhoto(WATCHED))], { type: 'image/jpeg' }), 'reference.jpg');
    const enrolled = await fetch(`${t.server.url}/api/persons/${watchedId}/faces`, { method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, body: form });
    assert.equal(enrolled.status, 201, await enrolled.text());
  });
  after(async () => {
    socket?.close();
    await t?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('finds the watchlist person at the second they appear (± one analysis interval), with live progress on the socket and the report in the browser', async () => {
    const res = await upload(clip, 'door camera.mp4');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const queued = res.body as ScanJobView;
    assert.deepEqual([queued.status, queued.fileName, queued.list, queued.media?.kind], ['queued', 'door camera.mp4', 'watchlist', 'video']);
    const done = await ended(queued.id);
    assert.equal(done.status, 'finished', done.error ?? '');
    assert.equal(done.worker, 'scan-e2e');
    assert.ok(done.summary && done.summary.matches >= 1 && done.summary.framesAnalysed > 0, JSON.stringify(done.summary));

    const mine = await until('the finished push', 10_000, () => (pushes.some((p) => p.id === queued.id && p.status === 'finished') ? pushes.filter((p) => p.id === queued.id) : undefined));
    assert.ok(mine.some((p) => p.status === 'running' && (p.progress?.framesDone ?? 0) > 0), `progress pushed while running: ${JSON.stringify(mine.map((p) => [p.status, p.progress?.framesDone]))}`);
    console.log(`scan.progress pushes for one 6 s clip: ${mine.length} (${mine.map((p) => `${p.status}:${p.progress?.framesDone ?? '-'}`).join(' ')})`);

    const report = (await t.api('GET', done.reportUrl!)).body as ScanReportView;
    const interval = report.analysisIntervalSeconds!;
    assert.ok(interval > 0 && interval <= 1, `analysis interval ${interval}`);
    const found = report.matches.filter((m) => m.personId === watchedId);
    assert.equal(found.length, 1, JSON.stringify(report.matches));
    const match = found[0]!;
    assert.ok(Math.abs(match.atSeconds - APPEARS_AT) <= interval + 1e-6, `found at ${match.atSeconds} s, expected ${APPEARS_AT} ± ${interval}`);
    assert.deepEqual([match.personName, match.list, match.file], ['Wanted Scan', 'watchlist', 'door camera.mp4']);
    assert.ok(match.score > 0 && match.referenceUrl?.startsWith('/api/media/'), JSON.stringify(match));
    assert.deepEqual(report.files.map((f) => [f.file, f.status, f.error]), [['door camera.mp4', 'scanned', null]]);

    const crop = await fetch(`${t.server.url}${match.cropUrl}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    assert.deepEqual([crop.status, crop.headers.get('content-type')], [200, 'image/jpeg']);
    assert.ok((await crop.arrayBuffer()).byteLength > 500);
    const csv = await fetch(`${t.server.url}${report.downloads.csv}`, { headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment/);
    const csvText = await csv.text();
    assert.match(csvText, /Wanted Scan/);
    assert.doesNotMatch(csvText, new RegExp(dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'the server path is not in the report');
    const anon = await fetch(`${t.server.url}${match.cropUrl}`);
    assert.equal(anon.status, 401);
    const audited = (await t.server.app.get(Database).dataSource.query(`SELECT action FROM audit_event WHERE action IN ('scan.create', 'scan.crop.view', 'scan.report.view') AND object_id = $1`, [queued.id])) as Array<{ action: string }>;
    assert.deepEqual(new Set(audited.map((a) => a.action)), new Set(['scan.create', 'scan.crop.view', 'scan.report.view']), 'upload and views are audited');
    assert.ok(!existsSync(path.join(dataDir, 'scans', queued.id, 'upload')), 'the uploaded footage is removed once scanned');
  });

  it('refuses what is not a video or photo (415), and what is over the size limit (413), with a message, no job and no file left', async () => {
    const before = ((await t.api('GET', '/api/scans')).body as ScanJobView[]).length;
    const text = await upload(Buffer.from('minutes of the meeting\n'.repeat(50)), 'notes.mp4');
    assert.equal(text.status, 415, JSON.stringify(text.body));
    assert.match(text.body.message, /“notes\.mp4” is not a video or image.*Nothing was queued/s);
    assert.doesNotMatch(text.body.message, /\/tmp\/|scans\//, 'the message names the upload, not the server path');
    const big = await upload(randomBytes(1024 * 1024 + 100_000), 'long.mp4');
    assert.equal(big.status, 413, JSON.stringify(big.body));
    assert.match(big.body.message, /larger than the scan upload limit of 1 MB \(VIGIL_SCAN_MAX_UPLOAD_MB\)/);
    const none = await upload(Buffer.alloc(0), 'empty.mp4');
    assert.ok(none.status === 415 || none.status === 422, JSON.stringify(none.body));
    assert.equal(((await t.api('GET', '/api/scans')).body as ScanJobView[]).length, before, 'no job row for a refused upload');
    const jobs = new Set(((await t.api('GET', '/api/scans')).body as ScanJobView[]).map((j) => j.id));
    assert.deepEqual(folders().filter((f) => !jobs.has(f)), [], 'no folder left by a refused upload');
  });

  it('a truncated recording fails with a clear error and is never reported as finished', async () => {
    // moov first (faststart), so ffprobe reads the whole duration and only decoding runs out of data.
    const whole = path.join(work, 'whole.mp4');
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', clip, '-c', 'copy', '-movflags', '+faststart', whole]);
    const bytes = readFileSync(whole);
    const cut = path.join(work, 'cut.mp4');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.4)));
    const res = await upload(cut, 'copied from recorder.mp4');
    console.log(`truncated upload (40 % of a faststart MP4): answered ${res.status}${res.status === 201 ? ', job queued' : `: ${res.body.message}`}`);
    if (res.status !== 201) {
      // Refused at the probe already: also a clear refusal, and nothing queued.
      assert.equal(res.status, 422, JSON.stringify(res.body));
      assert.match(res.body.message, /truncated|incomplete/);
      return;
    }
    const done = await ended(res.body.id);
    console.log(`truncated upload's job: ${done.status}: ${done.error}`);
    assert.equal(done.status, 'failed', `a cut file must not finish: ${JSON.stringify(done)}`);
    assert.match(done.error ?? '', /“copied from recorder\.mp4”.*(truncated|incomplete|cut short|ended)/i);
    assert.equal(done.reportUrl, null);
    const report = await t.api('GET', `/api/scans/${done.id}/report`);
    assert.equal(report.status, 409);
    assert.match(report.body.message, /no report: it failed/);
  });

  it('cancels a running scan: the job ends cancelled, its ffmpeg stops and its footage is removed', async () => {
    const long = await queueClip('scan-cancel', SHOTS, 3); // 18 s, under the 1 MB limit of this server
    const res = await upload(long, 'long.mp4');
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = res.body.id as string;
    await until('the long scan to make progress', 60_000, async () => ((await job(id)).progress?.framesDone ?? 0) > 0 || undefined, 200);
    const cancelled = await t.api('POST', `/api/scans/${id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    const again = await t.api('POST', `/api/scans/${id}/cancel`);
    assert.equal(again.status, 409);
    await until('the cancelled push', 10_000, () => pushes.find((p) => p.id === id && p.status === 'cancelled'));
    // The worker lets go of it: with one job at a time, it would otherwise never take another.
    await until('the worker to stop the cancelled scan', 20_000, async () => (existsSync(path.join(dataDir, 'scans', id, 'upload')) ? undefined : true), 200);
    assert.equal((await job(id)).status, 'cancelled', 'the cancelled job never turns finished');
    assert.equal(existsSync(path.join(dataDir, 'scans', id, 'report')), false, 'no report for a cancelled job');
  });

  it('a job left running by a worker that died is marked failed ("interrupted by a server restart")', async () => {
    // Inserted at boot (see before): the worker's periodic sweep has had the whole file's time to find it.
    const done = await until('the orphaned job to be failed', 60_000, async () => {
      const j = await job(orphanId);
      return j.status === 'failed' ? j : undefined;
    }, 500);
    assert.match(done.error ?? '', /Interrupted by a server restart/);
    assert.equal(done.reportUrl, null);
  });
;
});
