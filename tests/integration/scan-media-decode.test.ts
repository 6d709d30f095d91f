// @engine-independent: ffmpeg and files only, no database.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeVideo, MediaUnreadableError, probeMedia, ScanCancelledError, type SourceFrame } from '@vigil/scan';

/** Decoding recorded media for `vigil scan` (issue #15): ffmpeg at full speed, pulled by the scan, never complete when cut short. */
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-scan-decode-'));
const clip = path.join(dir, 'clip.mp4');
const image = path.join(dir, 'still.png');
const SECONDS = 4;
const FPS = 2;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function drain(frames: AsyncIterable<SourceFrame>, perFrameMs = 0): Promise<SourceFrame[]> {
  const out: SourceFrame[] = [];
  for await (const f of frames) {
    out.push(f);
    if (perFrameMs) await sleep(perFrameMs);
  }
  return out;
}

describe('scan: probing and decoding recorded media', { timeout: 60_000 }, () => {
  before(() => {
    // Index first (+faststart), as recorders that stream write it: a cut copy still opens.
    execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=320x180:rate=25`, '-t', String(SECONDS),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-movflags', '+faststart', clip]);
    execFileSync('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=200x100', '-frames:v', '1', image]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('probes a video and an image', async () => {
    const video = await probeMedia(clip);
    assert.deepEqual({ kind: video.kind, width: video.width, height: video.height, frameRate: video.frameRate, codec: video.codec }, { kind: 'video', width: 320, height: 180, frameRate: 25, codec: 'h264' });
    assert.ok(Math.abs(video.durationSeconds - SECONDS) < 0.1, String(video.durationSeconds));
    const still = await probeMedia(image);
    assert.deepEqual({ kind: still.kind, width: still.width, height: still.height, duration: still.durationSeconds }, { kind: 'image', width: 200, height: 100, duration: 0 });
  });

  it('decodes every frame at the analysis rate with its video time, also when the scan is slower than ffmpeg', async () => {
    // ffmpeg finishes long before a slow consumer: its exit must still be seen (it once was missed and the scan hung).
    const frames = await drain(decodeVideo(await probeMedia(clip), FPS), 150);
    assert.deepEqual(frames.map((f) => f.atMs), [0, 500, 1000, 1500, 2000, 2500, 3000, 3500]);
    for (const f of frames) assert.equal(f.frame.data.length, 320 * 180 * 3);
  });

  it('a copy cut in half is truncated, never complete', async () => {
    const cut = path.join(dir, 'cut.mp4');
    writeFileSync(cut, readFileSync(clip).subarray(0, statSync(clip).size / 2));
    const probe = await probeMedia(cut);
    let seen = 0;
    await assert.rejects(
      async () => {
        for await (const _frame of decodeVideo(probe, FPS)) seen++;
      },
      (e: unknown) => e instanceof MediaUnreadableError && e.problem === 'truncated' && e.message.startsWith(`${cut} is truncated: only 00:00:0`),
    );
    assert.ok(seen > 0 && seen < SECONDS * FPS, `${seen} frames before the cut`);
  });

  it('cancelling stops ffmpeg and rejects with ScanCancelledError', async () => {
    const abort = new AbortController();
    const frames = decodeVideo(await probeMedia(clip), FPS, abort.signal);
    const first = await frames.next();
    assert.equal(first.done, false);
    abort.abort();
    await assert.rejects(frames.next(), ScanCancelledError);
  });
});
