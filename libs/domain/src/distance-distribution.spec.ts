import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DistanceDistribution } from './distance-distribution';

function of(distances: number[]): DistanceDistribution {
  const d = new DistanceDistribution();
  for (const x of distances) d.add(x);
  return d;
}

describe('DistanceDistribution', () => {
  // 1000 impostor distances 1.000, 0.999, ... : at rate 1e-2 ten may pass.
  const thousand = Array.from({ length: 1000 }, (_, i) => 0.5 + i * 0.001);
  const cases: Array<{ name: string; distances: number[]; rate: number; threshold: number | null; rateBelow?: number }> = [
    { name: 'ten of a thousand may pass at 1e-2', distances: thousand, rate: 1e-2, threshold: 0.51, rateBelow: 0.01 },
    { name: 'one of a thousand at 1e-3', distances: thousand, rate: 1e-3, threshold: 0.501, rateBelow: 0.001 },
    { name: 'a thousand cannot resolve 1e-4', distances: thousand, rate: 1e-4, threshold: null },
    { name: 'one of three at 1/3: at the second', distances: [0.7, 0.8, 0.9], rate: 1 / 3, threshold: 0.8, rateBelow: 1 / 3 },
    { name: 'three cannot resolve 1/5', distances: [0.7, 0.8, 0.9], rate: 0.2, threshold: null },
    { name: 'ties pass or fail together', distances: [0.5, 0.5, 0.9, 0.9], rate: 0.25, threshold: 0.5, rateBelow: 0 },
    { name: 'everything may pass at rate 1', distances: [0.2, 0.4], rate: 1, threshold: 2.5, rateBelow: 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = of(c.distances);
      const t = d.thresholdForRate(c.rate);
      assert.equal(t === null ? null : Math.round(t * 1e4) / 1e4, c.threshold);
      if (t !== null && c.rateBelow !== undefined) assert.equal(d.rateAtOrBelow(t), c.rateBelow);
    });
  }

  it('counts far distances in the last bin and refuses bad ones', () => {
    const d = of([0.1, 7]);
    assert.equal(d.size, 2);
    assert.equal(d.rateAtOrBelow(1), 0.5);
    assert.equal(d.rateAtOrBelow(-1), 0);
    assert.throws(() => d.add(-0.1), /non-negative/);
    assert.throws(() => d.add(Number.NaN), /finite/);
    assert.throws(() => d.thresholdForRate(0), /rate must be/);
    assert.equal(new DistanceDistribution().rateAtOrBelow(1), null);
  });
});
