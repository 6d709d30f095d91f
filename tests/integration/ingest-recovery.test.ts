import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { CameraSupervisor } from '@vigil/video';
import { CameraWatch, childProcesses, sleep } from '../support/camera-watch';
import { freePort, RtspTestServer, rtspSkip } from '../support/rtsp-server';

// Short settings so the suite stays fast; the bounds below follow from them.
const STALL_S = 3;
const BACKOFF = { baseMs: 200, capMs: 2000 };
const OFFLINE_BOUND_MS = STALL_S * 1000 + 2000; // ffmpeg exits at once on a killed server; the watchdog is the backstop
const RECONNECT_BOUND_MS = BACKOFF.capMs + 5000;

describe('CameraSupervisor recovers from a lost server', { skip: rtspSkip(), timeout: 180_000 }, () => {
  let server: RtspTestServer;
  let cam: CameraSupervisor;
  let watch: CameraWatch;
  before(async () => {
    server = await RtspTestServer.start({ mounts: { '/cam': 'live:640x360@15' } });
  });
  after(async () => {
    await cam?.stop();
    await server?.stop();
  });

  it('server killed → offline within the bound, back on the same port → exactly one online', async () => {
    cam = new CameraSupervisor({ cameraId: 'r1', url: server.url('/cam'), width: 320, height: 180, stallSeconds: STALL_S, startGraceSeconds: 2, backoff: BACKOFF });
    watch = new CameraWatch(cam);
    cam.start();
    await watch.waitFor('online', 10_000);
    await watch.waitForFrames(3, 5000);

    const mark = watch.events.length;
    const killedAt = Date.now();
    await server.stop();
    const lost = await watch.waitFor(['offline', 'stalled'], OFFLINE_BOUND_MS, mark);
    console.log(`# lost stream reported as ${lost.status} after ${lost.at - killedAt} ms (${lost.reason})`);

    await sleep(1500); // a few failed reconnects against the dead port
    const restartedAt = Date.now();
    await server.restart();
    const online = await watch.waitFor('online', RECONNECT_BOUND_MS, mark);
    console.log(`# online again ${online.at - restartedAt} ms after the server came back`);
    await watch.waitForFrames(5, 5000);
    await sleep(1000);
    const after = watch.statuses(mark);
    assert.equal(after.filter((s) => s === 'online').length, 1, `one online after recovery: ${after.join(',')}`);
    assert.ok(!after.includes('starting'), 'retries stay offline/stalled, no starting flapping');
    assert.ok(cam.stats().reconnects >= 1);
  });

  it('server frozen (SIGSTOP) → stalled by the watchdog, thawed → online again', async () => {
    const mark = watch.events.length;
    const frozenAt = Date.now();
    server.pause();
    try {
      const stalled = await watch.waitFor('stalled', STALL_S * 1000 + 2000, mark);
      console.log(`# stalled ${stalled.at - frozenAt} ms after the server froze (${stalled.reason})`);
      assert.match(stalled.reason ?? '', /no frame for \d+ s/);
    } finally {
      server.resume();
    }
    await watch.waitFor('online', RECONNECT_BOUND_MS + STALL_S * 1000, mark);
    assert.ok(cam.stats().stalls >= 1);
    console.log(`# after the freeze: ${watch.statuses(mark).join(' → ')}`);
  });

  it('stop() resolves only after ffmpeg exited, and nothing restarts afterwards', async () => {
    // The thawed server may still drop the connection it held while frozen: wait for a steady run.
    const deadline = Date.now() + 15_000;
    while (!(cam.stats().status === 'online' && cam.stats().pid !== null)) {
      assert.ok(Date.now() < deadline, `never steady: ${JSON.stringify(watch.events.slice(-5))}`);
      await sleep(50);
    }
    const pid = cam.stats().pid;
    assert.ok(pid, 'ffmpeg is running');
    await cam.stop();
    assert.equal(existsSync(`/proc/${pid}`), false, 'ffmpeg gone (and reaped) when stop() resolves');
    await sleep(BACKOFF.capMs + 500);
    assert.deepEqual(childProcesses().filter((c) => c.comm === 'ffmpeg'), []);
    assert.equal(cam.stats().pid, null);
    assert.equal(cam.stats().status, 'offline');
  });
});

describe('CameraSupervisor with the camera down at start', { skip: rtspSkip(), timeout: 120_000 }, () => {
  it('keeps retrying with backoff and connects once the server appears', async () => {
    const port = await freePort();
    const cam = new CameraSupervisor({ cameraId: 'r2', url: `rtsp://127.0.0.1:${port}/cam`, width: 320, height: 180, stallSeconds: STALL_S, backoff: BACKOFF });
    const watch = new CameraWatch(cam);
    let server: RtspTestServer | undefined;
    try {
      cam.start();
      const offline = await watch.waitFor('offline', 5000);
      assert.match(offline.reason ?? '', /refused|exited with code 1/i);
      await sleep(4000);
      assert.ok(cam.stats().reconnects >= 2, `retried ${cam.stats().reconnects} times in 4 s`);
      assert.deepEqual(watch.statuses(), ['starting', 'offline'], 'retries do not re-emit offline');
      const startedAt = Date.now();
      server = await RtspTestServer.start({ port, mounts: { '/cam': 'live:640x360@15' } });
      const online = await watch.waitFor('online', RECONNECT_BOUND_MS);
      console.log(`# connected ${online.at - startedAt} ms after the server appeared`);
    } finally {
      await cam.stop();
      await server?.stop();
    }
  });
});
