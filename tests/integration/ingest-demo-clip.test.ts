import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CameraSupervisor, ensureDemoClip } from '@vigil/video';
import { CameraWatch, sleep } from '../support/camera-watch';

const dir = mkdtempSync(path.join(tmpdir(), 'vigil-demo-'));
// A small variant keeps the test to a few seconds; the 1280x720, 5 s/photo default takes ~20 s.
const SMALL = { width: 320, height: 180, secondsPerPhoto: 1 };

function probe(file: string): { width: number; height: number; duration: number; bframes: number } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,duration,has_b_frames', '-of', 'json', file], { encoding: 'utf8' });
  const s = JSON.parse(out).streams[0];
  return { width: s.width, height: s.height, duration: Number(s.duration), bframes: s.has_b_frames };
}

describe('ensureDemoClip', { timeout: 120_000 }, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('encodes the six sample photos once, atomically, and reuses the file', async () => {
    const [a, b] = await Promise.all([ensureDemoClip(dir, SMALL), ensureDemoClip(dir, SMALL)]);
    assert.equal(a, b);
    assert.deepEqual(readdirSync(dir), [path.basename(a)], 'one clip, no temp files left');
    const info = probe(a);
    assert.deepEqual([info.width, info.height, info.bframes], [320, 180, 0]);
    assert.ok(Math.abs(info.duration - 6) < 0.2, `duration ${info.duration}`);
    const mtime = statSync(a).mtimeMs;
    assert.equal(await ensureDemoClip(dir, SMALL), a);
    assert.equal(statSync(a).mtimeMs, mtime, 'not re-encoded');
  });

  it('plays as a looping file camera', async () => {
    const clip = await ensureDemoClip(dir, SMALL);
    const cam = new CameraSupervisor({ cameraId: 'demo', url: clip, width: 320, height: 180, fps: 5 });
    const watch = new CameraWatch(cam);
    cam.start();
    await watch.waitFor('online', 10_000);
    await sleep(7000); // past the 6 s end of the clip
    await cam.stop();
    assert.ok(watch.frames.length >= 30, `${watch.frames.length} frames`);
    assert.deepEqual(watch.statuses(), ['starting', 'online', 'offline']);
  });
});
