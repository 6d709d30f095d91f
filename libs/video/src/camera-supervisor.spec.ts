import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CameraSupervisor, type CameraStatusEvent } from './camera-supervisor';

// A fake ffmpeg (a shell script ignoring its argv) makes exits, partial frames and stderr exact.
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-fakeff-'));
function fakeFfmpeg(name: string, body: string): { path: string; major: number; versionLine: string } {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return { path: file, major: 5, versionLine: 'fake' };
}

function collect(cam: CameraSupervisor) {
  const events: CameraStatusEvent[] = [];
  const frames: number[] = [];
  cam.on('status', (e) => events.push(e));
  cam.on('frame', (f) => frames.push(f.data.length));
  return { events, frames };
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('CameraSupervisor with a fake ffmpeg', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  // An address, not a name: the supervisor resolves names before ffmpeg starts (the fake ignores its argv).
  const opts = { url: 'rtsp://admin:Hunter2Secret@127.0.0.1/s', width: 2, height: 2, backoff: { baseMs: 20, capMs: 40 } };

  it('exit 0 after two and a half frames: online, frames exact, partial counted, offline with the redacted stderr', async () => {
    const ffmpeg = fakeFfmpeg('half', 'head -c 30 /dev/zero; echo "rtsp://admin:Hunter2Secret@cam/s: End of file" >&2; exit 0');
    const cam = new CameraSupervisor({ cameraId: 'a', ffmpeg, ...opts });
    const { events, frames } = collect(cam);
    cam.start();
    await until(() => events.some((e) => e.status === 'offline'));
    await cam.stop();
    assert.deepEqual(events.map((e) => e.status).slice(0, 3), ['starting', 'online', 'offline']);
    assert.equal(events[2]!.reason, 'rtsp://***@cam/s: End of file');
    assert.ok(frames.length >= 2 && frames.every((n) => n === 12));
    const s = cam.stats();
    assert.ok(s.partialFrames >= 1 && s.drops >= s.partialFrames);
    assert.ok(!JSON.stringify(s).includes('Hunter2'));
  });

  it('silent exit: the reason names the code', async () => {
    const cam = new CameraSupervisor({ cameraId: 'b', ffmpeg: fakeFfmpeg('silent', 'exit 3'), ...opts });
    const { events } = collect(cam);
    cam.start();
    await until(() => events.some((e) => e.status === 'offline'));
    await cam.stop();
    assert.equal(events[1]!.reason, 'ffmpeg exited with code 3');
  });

  it('keeps retrying: one offline event however many failed restarts', async () => {
    const cam = new CameraSupervisor({ cameraId: 'c', ffmpeg: fakeFfmpeg('fail', 'exit 1'), ...opts });
    const { events } = collect(cam);
    cam.start();
    await until(() => cam.stats().reconnects >= 5);
    await cam.stop();
    assert.deepEqual(events.map((e) => e.status), ['starting', 'offline']);
  });

  it('a missing executable is an offline reason, not a crash', async () => {
    const cam = new CameraSupervisor({ cameraId: 'd', ffmpeg: { path: path.join(dir, 'missing'), major: 5, versionLine: '' }, ...opts });
    const { events } = collect(cam);
    cam.start();
    await until(() => events.some((e) => e.status === 'offline'));
    await cam.stop();
    assert.match(events[1]!.reason ?? '', /cannot run ffmpeg: spawn .*ENOENT/);
  });

  it('an unusable URL goes offline with the reason, password redacted', async () => {
    const cam = new CameraSupervisor({ cameraId: 'e', ffmpeg: fakeFfmpeg('never', 'exit 0'), ...opts, url: 'ftp://admin:Hunter2Secret@x/y' });
    const { events } = collect(cam);
    cam.start();
    await until(() => events.some((e) => e.status === 'offline'));
    await cam.stop();
    assert.match(events[1]!.reason ?? '', /no ingest preset reads "ftp:"/);
  });

  it('frames with nobody listening are counted as drops', async () => {
    const cam = new CameraSupervisor({ cameraId: 'f', ffmpeg: fakeFfmpeg('two', 'head -c 24 /dev/zero; sleep 5'), ...opts });
    cam.start();
    await until(() => cam.stats().drops === 2);
    await cam.stop();
    assert.equal(cam.stats().frames, 2);
  });

  it('stall: no frame → stalled, the child is killed (SIGTERM ignored → SIGKILL) and restarted', async () => {
    const ffmpeg = fakeFfmpeg('hang', "trap '' TERM; head -c 12 /dev/zero; exec sleep 30");
    const cam = new CameraSupervisor({ cameraId: 'g', ffmpeg, ...opts, stallSeconds: 0.3, startGraceSeconds: 0, stopGraceMs: 200 });
    const { events } = collect(cam);
    cam.start();
    await until(() => cam.stats().stalls >= 2, 8000);
    await cam.stop();
    assert.deepEqual(events.map((e) => e.status).slice(0, 3), ['starting', 'online', 'stalled']);
    assert.match(events[2]!.reason ?? '', /no frame for \d+ s/);
  });

  const resets: Array<[string, number, number[]]> = [
    ['backoff climbs while runs stay short', 60_000, [50, 100, 200]],
    ['backoff restarts from its base after a stable online period', 100, [50, 50, 50]],
  ];
  for (const [name, stableResetMs, expected] of resets) {
    it(name, async () => {
      // Frames for ~0.3 s, then the stream ends.
      const ffmpeg = fakeFfmpeg(`burst${stableResetMs}`, 'for i in 1 2 3 4 5 6 7 8 9 10; do head -c 12 /dev/zero; sleep 0.03; done; exit 0');
      const cam = new CameraSupervisor({ cameraId: 'h', ffmpeg, ...opts, stableResetMs, backoff: { baseMs: 50, capMs: 10_000, random: () => 0 } });
      const delays: number[] = [];
      cam.start();
      let seen: number | null = null;
      await until(() => {
        const s = cam.stats();
        if (s.nextRetryAt !== null && s.nextRetryAt !== seen) {
          seen = s.nextRetryAt;
          delays.push(s.nextRetryAt - s.since);
        }
        return delays.length >= 3;
      }, 8000);
      await cam.stop();
      // nextRetryAt and since come from two clock reads a millisecond or two apart.
      assert.ok(delays.every((d, i) => d >= expected[i]! && d <= expected[i]! + 5), `delays ${delays.join(',')} vs ${expected.join(',')}`);
    });
  }

  it('the same picture while frames arrive → frozen; a new picture → online again', async () => {
    // 15 black frames (~0.45 s), then white ones; frozen after 0.2 s of the same picture.
    const ffmpeg = fakeFfmpeg(
      'freeze',
      "for i in $(seq 15); do head -c 12 /dev/zero; sleep 0.03; done; for i in $(seq 10); do head -c 12 /dev/zero | tr '\\000' '\\377'; sleep 0.03; done; sleep 5",
    );
    const cam = new CameraSupervisor({ cameraId: 'i', ffmpeg, ...opts, frozenSeconds: 0.2 });
    const { events } = collect(cam);
    cam.start();
    await until(() => events.length >= 4);
    await cam.stop();
    assert.deepEqual(events.map((e) => e.status).slice(0, 4), ['starting', 'online', 'frozen', 'online']);
    assert.match(events[2]!.reason ?? '', /picture unchanged/);
  });
});

