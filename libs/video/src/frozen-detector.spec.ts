import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrozenDetector } from './frozen-detector';
import type { GreyThumb } from './thumbnail';

const thumb = (v: number): GreyThumb => ({ width: 2, height: 1, data: new Float32Array([v, v]) });

describe('FrozenDetector', () => {
  // Each step: [ms, grey value, expected frozen]
  const scenarios: Array<[string, Array<[number, number, boolean]>]> = [
    ['same picture for the whole period → frozen', [[0, 10, false], [500, 10, false], [999, 10, false], [1000, 10, true]]],
    ['tiny noise below epsilon still counts as the same', [[0, 10, false], [600, 10.1, false], [1200, 10.05, true]]],
    ['a change recovers at once', [[0, 10, false], [1000, 10, true], [1100, 50, false], [1500, 50, false]]],
    ['drift that adds up is change', [[0, 10, false], [400, 10.2, false], [800, 10.4, false], [1200, 10.6, false]]],
    ['regular change never freezes', [[0, 10, false], [500, 20, false], [1000, 10, false], [1500, 20, false]]],
  ];
  for (const [name, steps] of scenarios) {
    it(name, () => {
      const d = new FrozenDetector({ frozenAfterMs: 1000, epsilon: 0.25 });
      for (const [at, v, expected] of steps) assert.equal(d.update(thumb(v), at), expected, `at ${at}`);
    });
  }
  it('reset forgets the picture', () => {
    const d = new FrozenDetector({ frozenAfterMs: 1000 });
    d.update(thumb(1), 0);
    d.update(thumb(1), 2000);
    assert.equal(d.frozen, true);
    d.reset();
    assert.equal(d.frozen, false);
    assert.equal(d.update(thumb(1), 2100), false);
  });
});
