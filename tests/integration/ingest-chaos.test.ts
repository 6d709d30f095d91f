import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CameraSupervisor } from '@vigil/video';
import { CameraWatch, childProcesses, openFdCount } from '../support/camera-watch';
import { RtspTestServer, rtspSkip } from '../support/rtsp-server';

const KILLS = 50;

describe('repeated kill -9 of the ffmpeg child', { skip: rtspSkip(), timeout: 240_000 }, () => {
  let server: RtspTestServer;
  let cam: CameraSupervisor;
  before(async () => {
    server = await RtspTestServer.start({ mounts: { '/cam': 'live:320x240@15' } });
  });
  after(async () => {
    await cam?.stop();
    await server?.stop();
  });

  it(`recovers ${KILLS} times, leaves no zombie and no leaked fd`, async () => {
    cam = new CameraSupervisor({ cameraId: 'chaos', url: server.url('/cam'), width: 160, height: 120, stallSeconds: 5, backoff: { baseMs: 50, capMs: 200 } });
    const watch = new CameraWatch(cam);
    cam.start();
    await watch.waitFor('online', 10_000);
    let fdsAtStart = 0;
    const started = Date.now();
    for (let i = 0; i < KILLS; i++) {
      await watch.waitForFrames(1, 10_000);
      if (i === 2) fdsAtStart = openFdCount(); // after the first cycles opened lazily created handles
      const pid = cam.stats().pid;
      assert.ok(pid, `cycle ${i}: ffmpeg running`);
      const mark = watch.events.length;
      process.kill(pid, 'SIGKILL');
      const offline = await watch.waitFor('offline', 5000, mark);
      assert.equal(offline.reason, 'ffmpeg killed by SIGKILL');
      await watch.waitFor('online', 10_000, mark);
      assert.notEqual(cam.stats().pid, pid, 'a new ffmpeg');
      assert.deepEqual(watch.statuses(mark), ['offline', 'online'], `cycle ${i}`);
    }
    console.log(`# ${KILLS} kill/recover cycles in ${Date.now() - started} ms`);
    const zombies = childProcesses().filter((c) => c.state === 'Z');
    assert.deepEqual(zombies, []);
    const ffmpegs = childProcesses().filter((c) => c.comm === 'ffmpeg');
    assert.equal(ffmpegs.length, 1, `exactly the current ffmpeg: ${JSON.stringify(ffmpegs)}`);
    const fds = openFdCount();
    assert.ok(Math.abs(fds - fdsAtStart) <= 10, `open fds ${fdsAtStart} → ${fds}`);
    assert.equal(cam.stats().reconnects, KILLS);
    await cam.stop();
    assert.deepEqual(childProcesses().filter((c) => c.comm === 'ffmpeg'), []);
  });
});
