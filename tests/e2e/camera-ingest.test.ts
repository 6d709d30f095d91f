import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import type { Socket } from 'socket.io-client';
import type { CameraStatusEvent } from '@vigil/contracts';
import { childProcesses, sleep } from '../support/camera-watch';
import { RtspTestServer, rtspSkip } from '../support/rtsp-server';
import { connectSocket, until } from '../support/socket-client';
import { startTestServer, TestServer } from '../support/test-server';

const PASSWORD = 'pa:ss@w0rd!';
const QUERY_SECRET = 'Qu3rySecretToken';

/**
 * Everything the server logs from now on, at debug level, kept here instead of printed: the
 * server boots silent, then its root pino logger (shared by request and ingest logs) is turned up
 * and its stream's write captured.
 */
function captureLogs(): string[] {
  const lines: string[] = [];
  const root = PinoLogger.root;
  const stream = (root as unknown as Record<symbol, { write: (chunk: string) => boolean }>)[pino.symbols.streamSym]!;
  stream.write = (chunk: string) => {
    lines.push(chunk);
    return true;
  };
  root.level = 'debug';
  return lines;
}

function ffmpegChildren(): number {
  return childProcesses().filter((p) => p.comm === 'ffmpeg' && p.state !== 'Z').length;
}

describe('cameras ingest live in the server (RTSP → supervisor → database → socket.io)', { skip: rtspSkip(), timeout: 240_000 }, () => {
  let rtsp: RtspTestServer;
  let t: TestServer;
  let socket: Socket;
  const pushed: CameraStatusEvent[] = [];
  let cameraId: string;
  let logs: string[];

  before(async () => {
    rtsp = await RtspTestServer.start({ mounts: { '/cam': 'live:640x360@15' } });
    t = await startTestServer({ VIGIL_ROLES: 'api,worker', VIGIL_DEMO: '0', VIGIL_INFERENCE_WORKERS: '1' });
    logs = captureLogs();
    const security = await t.api('POST', '/api/tokens', { body: { name: 'Wall', role: 'security' } });
    socket = await connectSocket(t.server.url, { token: security.body.token }, (s) => s.on('camera.status', (e: CameraStatusEvent) => pushed.push(e)));
  });
  after(async () => {
    socket?.close();
    await t?.stop();
    await rtsp?.stop();
  });

  it('a new camera starts streaming without a restart: online pushed, live fps in the API', async () => {
    const url = rtsp.url('/cam').replace('rtsp://', `rtsp://admin:${encodeURIComponent(PASSWORD)}@`);
    const created = await t.api('POST', '/api/cameras', { body: { name: 'Dock', url, fps: 5, settings: { stallSeconds: 3 } } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    cameraId = created.body.id;
    assert.equal(created.body.settings.stallSeconds, 3);
    const online = await until('online pushed', 20_000, () => pushed.find((e) => e.cameraId === cameraId && e.status === 'online'));
    assert.ok(online.at);
    const live = await until('measured fps in GET /api/cameras/:id', 15_000, async () => {
      const res = await t.api('GET', `/api/cameras/${cameraId}`);
      return res.body.status === 'online' && res.body.measuredFps > 0 && res.body.lastFrameAt ? res.body : undefined;
    });
    assert.ok(live.measuredFps > 2 && live.measuredFps < 8, `fps ${live.measuredFps} near the configured 5`);
    assert.equal(ffmpegChildren(), 1);
    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`vigil_camera_frames_total\\{camera_id="${cameraId}"\\} [1-9]`));
    assert.match(metrics, new RegExp(`vigil_camera_status\\{camera_id="${cameraId}",status="online"\\} 1`));
  });

  it('a lost server is pushed as offline/stalled and recovery as exactly one online', async () => {
    const mark = pushed.length;
    await rtsp.stop();
    const lost = await until('lost stream pushed', 10_000, () => pushed.slice(mark).find((e) => e.cameraId === cameraId && (e.status === 'offline' || e.status === 'stalled')));
    assert.ok(lost.reason, 'a reason is given');
    await rtsp.restart();
    await until('online again', 45_000, () => pushed.slice(mark).find((e) => e.cameraId === cameraId && e.status === 'online'));
    await sleep(1500);
    assert.equal(pushed.slice(mark).filter((e) => e.cameraId === cameraId && e.status === 'online').length, 1);
    const history = (await t.server.database.dataSource.query('SELECT status FROM camera_event WHERE camera_id = $1 ORDER BY id', [cameraId])) as Array<{ status: string }>;
    assert.deepEqual(history.map((h) => h.status), pushed.filter((e) => e.cameraId === cameraId).map((e) => e.status), 'what was pushed is what was stored, in order');
  });

  it('disabling stops ffmpeg, enabling starts it again, deleting stops it for good', async () => {
    assert.equal((await t.api('PATCH', `/api/cameras/${cameraId}`, { body: { enabled: false } })).body.status, 'disabled');
    await until('ffmpeg gone after disable', 10_000, () => (ffmpegChildren() === 0 ? true : undefined));
    const mark = pushed.length;
    await t.api('PATCH', `/api/cameras/${cameraId}`, { body: { enabled: true } });
    await until('online after enable', 20_000, () => pushed.slice(mark).find((e) => e.cameraId === cameraId && e.status === 'online'));
    assert.equal((await t.api('DELETE', `/api/cameras/${cameraId}`)).status, 204);
    await until('ffmpeg gone after delete', 10_000, () => (ffmpegChildren() === 0 ? true : undefined));
    await sleep(500);
    assert.equal(ffmpegChildren(), 0);
  });

  it('an unreachable camera goes offline with a redacted reason and keeps being retried; no secret in views, logs or audit', async () => {
    // #13: query secrets too (access_token=…, apikey=…), for the security role and in the log.
    const query = `channel=1&access_token=${QUERY_SECRET}&apikey=${QUERY_SECRET}`;
    const created = await t.api('POST', '/api/cameras', { body: { name: 'Nowhere', url: `rtsp://admin:${encodeURIComponent(PASSWORD)}@127.0.0.1:9/none?${query}` } });
    const id = created.body.id as string;
    const offline = await until('offline pushed', 20_000, () => pushed.find((e) => e.cameraId === id && e.status === 'offline'));
    const api = await t.api('GET', `/api/cameras/${id}`);
    assert.equal(api.body.status, 'offline');
    assert.equal(api.body.url, 'rtsp://***@127.0.0.1:9/none?channel=1&access_token=***&apikey=***');
    const security = await t.api('POST', '/api/tokens', { body: { name: 'Guard desk', role: 'security' } });
    const asSecurity = await t.api('GET', `/api/cameras/${id}`, { token: security.body.token });
    assert.equal(asSecurity.status, 200);
    await t.api('DELETE', `/api/cameras/${id}`);
    const audit = await t.server.database.repos.audit.forObject('camera', id);
    assert.ok(audit.length >= 2, 'create and delete audited');
    const logged = logs.join('');
    assert.match(logged, new RegExp(`"cameraId":"${id}".*camera ingest starting`), 'the capture sees the ingest log');
    const metrics = await (await fetch(`${t.server.url}/metrics`)).text();
    const everything = JSON.stringify([pushed, offline, api.body, asSecurity.body, audit]) + metrics + logged;
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), 'pa:ss', QUERY_SECRET]) assert.ok(!everything.includes(secret), `leaked ${secret}`);
  });

  it('forbidden URLs are refused with 400 and never reach ffmpeg', async () => {
    const before = ffmpegChildren();
    const bypasses = ['http://[::ffff:169.254.169.254]/latest', 'http://x\\@169.254.169.254/', 'rtsp://2852039166/x', 'rtsp://0xa9.0xfe.0xa9.0xfe/x', 'rtsp://[64:ff9b::a9fe:a9fe]/x'];
    for (const url of ['file:///etc/passwd', 'concat:/a|/b', 'http://169.254.169.254/latest/meta-data', '-i /etc/passwd', 'lavfi:testsrc', ...bypasses]) {
      const res = await t.api('POST', '/api/cameras', { body: { name: `Bad ${url.slice(0, 12)}`, url } });
      assert.equal(res.status, 400, url);
    }
    await sleep(500);
    assert.equal(ffmpegChildren(), before);
    assert.equal((await t.api('GET', '/api/cameras')).body.total, 0);
  });
});
