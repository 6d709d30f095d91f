// @engine-independent: pixels and geometry only, no database.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessLiveness, DEFAULT_LIVENESS_THRESHOLDS, withTexturePlanarity, type LivenessFrame } from '@vigil/domain';
import { decodeGrey, texturePlanarity, type GreyImage } from '@vigil/vision';
import { LIVENESS_FIXTURES, livenessPhoto, type LivenessPhoto, type MeasuredFixtures, type MeasuredFrame } from '../support/liveness-fixtures';
import { PLANAR_WARPS, warpPhoto } from '../support/warp';

/**
 * The pixel gate on real fixture images, with the landmarks the engine measured on them
 * (tests/fixtures/liveness/measured.json), so no engine is needed. Warped copies of a photo
 * already turned ~19° can fool the landmark gates (the landmark net reads a strong perspective
 * tilt partly as a head turn); the pixels of a flat picture still map by one homography.
 */
const measured = JSON.parse(readFileSync(join(LIVENESS_FIXTURES, 'measured.json'), 'utf8')) as MeasuredFixtures;
const T = { ...DEFAULT_LIVENESS_THRESHOLDS, maxIdentityDistance: 0.53 };
const frame = (m: MeasuredFrame): LivenessFrame => m;

describe('texturePlanarity: one homography of the pixels explains a flat picture, not a head turn', () => {
  const grey = new Map<string, GreyImage>();
  before(async () => {
    for (const name of ['colin-frontal', 'colin-left-19', 'colin-left-28', 'colin-right-22', 'colin-right-29'] as LivenessPhoto[]) grey.set(name, await decodeGrey(livenessPhoto(name)));
    for (const [name, warp] of Object.entries(PLANAR_WARPS)) grey.set(`left19/${name}`, await decodeGrey(await warpPhoto(livenessPhoto('colin-left-19'), warp)));
  });

  it('photos of the person at other yaws score well below the threshold (a real turn passes)', () => {
    for (const other of ['colin-left-19', 'colin-left-28', 'colin-right-22', 'colin-right-29']) {
      const s = texturePlanarity(grey.get('colin-frontal')!, measured.photos['colin-frontal']!.landmarks, grey.get(other)!, measured.photos[other]!.landmarks);
      assert.ok(s < T.maxTexturePlanarity - 0.1, `${other}: ${s.toFixed(3)}`);
    }
  });

  it('no sequence of warped copies of a turned photo passes, and the pixel gate is what stops some of them', () => {
    const names = Object.keys(PLANAR_WARPS);
    const W = measured.warpedLeft19;
    const passed: string[] = [];
    let stoppedByPixels = 0;
    for (const action of ['turn_left', 'turn_right'] as const) {
      for (const a of names) {
        for (const b of names) {
          const v = assessLiveness(action, [frame(W[a]!), frame(W[b]!), frame(W[b]!)], { ...T, maxIdentityDistance: Number.POSITIVE_INFINITY });
          if (!v.live) continue;
          const key = (i: number) => `left19/${i === 0 ? a : b}`;
          const planarity = texturePlanarity(grey.get(key(v.frontalIndex))!, [a, b, b].map((n) => W[n]!.landmarks)[v.frontalIndex]!, grey.get(key(v.turnedIndex))!, [a, b, b].map((n) => W[n]!.landmarks)[v.turnedIndex]!);
          const final = withTexturePlanarity(v, planarity, T);
          if (final.live) passed.push(`${action}: ${a} → ${b} (${planarity.toFixed(3)})`);
          else stoppedByPixels++;
        }
      }
    }
    assert.deepEqual(passed, []);
    assert.ok(stoppedByPixels > 0, 'the landmark gates alone would have let some through');
  });
});
