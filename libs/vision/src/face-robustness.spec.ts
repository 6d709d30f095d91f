import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MATCH_POLICY, euclideanDistance } from '@vigil/domain';
import { FaceEngine, type DetectedFace } from './face-engine';
import { decodeSample, makeVariant, nearestBox, VARIANTS } from './testing/sample-photos';

/**
 * Rates measured on wasm with the product's descriptor (flip-averaged, length-normalised) at the
 * calibrated thresholds (watchlist 0.44, employee 0.53; docs/performance.md):
 *   variant faces re-detected: 131/132;
 *   same face within the watchlist / employee threshold: 128/131, 130/131;
 *   different people in one photo above them: 31/31, 27/31;
 *   variant face vs the other people of its photo above them: 361/369, 332/369.
 * Faces of one photo are nearer each other than LFW's different-person pairs (same camera, light
 * and compression): at FAR 1e-3 on LFW, 4 of these 31 pairs still fall under the employee
 * threshold. Matching compares a camera face with enrolment photos, which LFW's mixed pairs model;
 * these rates pin down the descriptor, with a one-case margin for backend differences.
 */
describe('descriptor robustness on sample photos', () => {
  const same: number[] = [];
  const different: number[] = [];
  const variantVsOthers: number[] = [];
  let expected = 0;

  before(async () => {
    const engine = await FaceEngine.create();
    for (let i = 1; i <= 6; i++) {
      const src = await decodeSample(i);
      const orig = await engine.detect(src);
      for (let a = 0; a < orig.length; a++) {
        for (let b = a + 1; b < orig.length; b++) {
          different.push(euclideanDistance(orig[a].descriptor!, orig[b].descriptor!));
        }
      }
      for (const name of VARIANTS) {
        const variant = await makeVariant(src, name);
        const found: DetectedFace[] = await engine.detect(variant.frame);
        orig.forEach((o, k) => {
          expected++;
          const centre = variant.map({ x: o.box.x + o.box.width / 2, y: o.box.y + o.box.height / 2 });
          const j = nearestBox(found.map((f) => f.box), centre, o.box.width / 2);
          if (j === undefined) return;
          same.push(euclideanDistance(o.descriptor!, found[j].descriptor!));
          orig.forEach((other, m) => {
            if (m !== k) variantVsOthers.push(euclideanDistance(other.descriptor!, found[j].descriptor!));
          });
        });
      }
    }
  });

  const { watchlist, employee } = DEFAULT_MATCH_POLICY.thresholds;
  const within = (ds: number[], t: number) => ds.filter((d) => d <= t).length;
  const above = (ds: number[], t: number) => ds.filter((d) => d > t).length;

  it('re-detects at least 130 of 132 faces in flipped/brightened/darkened/rotated/downscaled copies', () => {
    assert.equal(expected, 132);
    assert.ok(same.length >= 130, `${same.length} re-detected`);
  });

  it('keeps at least 127 / 129 of 131 same-face distances within the watchlist / employee threshold', () => {
    assert.ok(within(same, watchlist) >= Math.min(127, same.length - 4), `${within(same, watchlist)}/${same.length} within ${watchlist}`);
    assert.ok(within(same, employee) >= Math.min(129, same.length - 2), `${within(same, employee)}/${same.length} within ${employee}`);
  });

  it('keeps at least 30 / 26 of the 31 different-person pairs above the watchlist / employee threshold', () => {
    assert.equal(different.length, 31);
    assert.ok(above(different, watchlist) >= 30, `${above(different, watchlist)}/31 above ${watchlist}`);
    assert.ok(above(different, employee) >= 26, `${above(different, employee)}/31 above ${employee}`);
  });

  it('keeps at least 358 / 329 of the variant-vs-other-person distances above the watchlist / employee threshold', () => {
    assert.ok(variantVsOthers.length >= 360);
    assert.ok(above(variantVsOthers, watchlist) >= variantVsOthers.length - 11, `${above(variantVsOthers, watchlist)}/${variantVsOthers.length} above ${watchlist}`);
    assert.ok(above(variantVsOthers, employee) >= variantVsOthers.length - 40, `${above(variantVsOthers, employee)}/${variantVsOthers.length} above ${employee}`);
  });
});
