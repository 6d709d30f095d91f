import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CameraSupervisor, type Decimation, type IngestPreset } from '@vigil/video';
import { CameraWatch, sleep } from '../support/camera-watch';
import { testClip } from '../support/clips';
import { RtspTestServer, rtspSkip } from '../support/rtsp-server';

/** Frames per second over the frames that arrived in the last `windowMs` of a run. */
function measuredFps(watch: CameraWatch, windowMs: number): number {
  const end = watch.frames[watch.frames.length - 1]!.at;
  const recent = watch.frames.filter((f) => f.at > end - windowMs);
  return ((recent.length - 1) * 1000) / (recent[recent.length - 1]!.at - recent[0]!.at);
}

describe('ingest over real RTSP: size and rate', { skip: rtspSkip(), timeout: 180_000 }, () => {
  let server: RtspTestServer;
  const cameras: CameraSupervisor[] = [];
  before(async () => {
    server = await RtspTestServer.start({
      mounts: { '/small': 'live:640x360@25', '/hd': 'live:1280x720@25', '/switch': 'switch:1280x720,640x360,320x240@15' },
    });
  });
  after(async () => {
    await Promise.all(cameras.map((c) => c.stop()));
    await server?.stop();
  });

  function camera(url: string, opts: { width: number; height: number; fps: number; decimation?: Decimation; preset?: IngestPreset }) {
    const cam = new CameraSupervisor({ cameraId: `cam-${cameras.length}`, url, stallSeconds: 5, backoff: { baseMs: 200, capMs: 1000 }, ...opts });
    cameras.push(cam);
    return { cam, watch: new CameraWatch(cam) };
  }

  const cases: Array<[string, string, { width: number; height: number; fps: number; decimation?: Decimation; preset?: IngestPreset }]> = [
    ['640x360 source → 320x240 (padded) at 5 fps, select', '/small', { width: 320, height: 240, fps: 5, decimation: 'select' }],
    ['640x360 source → 320x240 at 5 fps, ffmpeg fps filter', '/small', { width: 320, height: 240, fps: 5, decimation: 'fps-filter' }],
    ['640x360 source → 320x240 at 5 fps, dropped in Node', '/small', { width: 320, height: 240, fps: 5, decimation: 'node' }],
    ['1280x720 source → 640x360 at 8 fps over RTP/UDP', '/hd', { width: 640, height: 360, fps: 8, preset: 'rtsp-udp' }],
  ];
  for (const [name, mount, opts] of cases) {
    it(name, async () => {
      const { cam, watch } = camera(server.url(mount), opts);
      cam.start();
      await watch.waitFor('online', 10_000);
      await sleep(5000);
      await cam.stop();
      const expected = opts.width * opts.height * 3;
      assert.ok(watch.frames.length >= opts.fps * 3, `only ${watch.frames.length} frames`);
      for (const f of watch.frames) assert.equal(f.bytes, expected, `frame ${f.seq} has ${f.bytes} bytes`);
      assert.deepEqual(watch.frames.map((f) => f.seq), watch.frames.map((_f, i) => i + 1), 'seq counts every frame');
      const fps = measuredFps(watch, 4000);
      assert.ok(fps >= opts.fps * 0.7 && fps <= opts.fps * 1.15, `measured ${fps.toFixed(2)} fps for ${opts.fps}`);
      assert.deepEqual(watch.statuses(), ['starting', 'online', 'offline']);
      assert.equal(watch.events[2]!.reason, 'stopped');
      assert.equal(cam.stats().drops, 0);
    });
  }

  it('a source that changes resolution every 2 s still yields only exact frames, without reconnecting', async () => {
    const { cam, watch } = camera(server.url('/switch'), { width: 480, height: 270, fps: 5 });
    cam.start();
    await watch.waitFor('online', 10_000);
    await sleep(7000); // at least three resolution changes
    await cam.stop();
    assert.ok(watch.frames.length >= 20, `only ${watch.frames.length} frames`);
    for (const f of watch.frames) assert.equal(f.bytes, 480 * 270 * 3);
    assert.equal(cam.stats().reconnects, 0);
    assert.deepEqual(watch.statuses(), ['starting', 'online', 'offline']);
  });
});

describe('ingest of a looping file (the demo camera path)', { timeout: 60_000 }, () => {
  it('keeps delivering frames past the end of a 3 s clip', async () => {
    const clip = testClip(640, 360, 3);
    const cam = new CameraSupervisor({ cameraId: 'file', url: `file://${clip}`, width: 320, height: 180, fps: 5 });
    const watch = new CameraWatch(cam);
    cam.start();
    await watch.waitFor('online', 10_000);
    await sleep(6000);
    await cam.stop();
    assert.ok(watch.frames.length >= 25, `only ${watch.frames.length} frames in 6 s`);
    for (const f of watch.frames) assert.equal(f.bytes, 320 * 180 * 3);
    assert.deepEqual(watch.statuses(), ['starting', 'online', 'offline']);
    assert.equal(cam.stats().reconnects, 0);
  });
});
