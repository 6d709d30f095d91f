import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { RecognitionAttempt } from '@vigil/domain';
import { ATTEMPTS_CAPACITY, ATTEMPTS_KEPT_MS, AttemptLog, type AttemptFrame } from './attempt-log';

const frame: AttemptFrame = { rgb: Buffer.alloc(320 * 240 * 3, 128), width: 320, height: 240, analysis: 'scan', detector: 'ssd' };

function attempt(at: number, nearestDistance: number | null): RecognitionAttempt {
  return {
    at,
    faceIndex: 0,
    trackId: 't1',
    box: { x: 100, y: 60, width: 80, height: 100 },
    quality: { ok: true, reasons: [] },
    nearest: nearestDistance === null ? null : { personId: 'p', list: 'watchlist', distance: nearestDistance, threshold: 0.4 },
    sighting: 'unknown',
    vote: { state: 'pending', sightings: 1, personId: null, list: null, reopened: false },
    replacedTrackId: null,
  };
}

describe('AttemptLog', () => {
  const thumbnailCases: Array<{ name: string; distance: number | null; kept: boolean }> = [
    { name: 'a match keeps a thumbnail', distance: 0.3, kept: true },
    { name: 'a near miss (within 0.15 of the threshold) keeps one', distance: 0.55, kept: true },
    { name: 'a face far from everyone keeps none', distance: 0.56, kept: false },
    { name: 'no nearest person (empty gallery) keeps none', distance: null, kept: false },
  ];
  for (const c of thumbnailCases) {
    it(c.name, async () => {
      const log = new AttemptLog();
      await log.record('cam', frame, [attempt(1000, c.distance)], 1000);
      const [only] = log.list('cam', 1000);
      assert.equal(only!.thumbnail !== null, c.kept);
      if (only!.thumbnail) {
        const meta = await sharp(only!.thumbnail).metadata();
        assert.equal(meta.format, 'jpeg');
        assert.deepEqual([meta.width, meta.height], [160, 200], 'the box with half its size around it, clamped to the frame');
      }
    });
  }

  it('keeps the newest ATTEMPTS_CAPACITY per camera, newest first, and forgets them after ATTEMPTS_KEPT_MS', async () => {
    const log = new AttemptLog();
    const attempts = Array.from({ length: ATTEMPTS_CAPACITY + 20 }, (_, i) => attempt(i, null));
    await log.record('cam', frame, attempts, 0);
    await log.record('other', frame, [attempt(0, null)], 0);
    const kept = log.list('cam', 0);
    assert.equal(kept.length, ATTEMPTS_CAPACITY);
    assert.deepEqual([kept[0]!.at, kept.at(-1)!.at], [ATTEMPTS_CAPACITY + 19, 20]);
    assert.equal(log.find('cam', kept[5]!.id, 0)?.at, kept[5]!.at);
    assert.equal(log.list('cam', ATTEMPTS_KEPT_MS + 100).length, ATTEMPTS_CAPACITY - 80, 'the first 100 ms of attempts expired');
    assert.deepEqual(log.list('cam', 10 * ATTEMPTS_KEPT_MS), []);
    assert.equal(log.list('other', 0).length, 1, 'per camera');
    log.forget('other');
    assert.deepEqual(log.list('other', 0), []);
  });
});
