import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { crossValidatedAccuracy, type CrossValidatedAccuracy, type FoldedPair } from './lfw-protocol';

const fold = (k: number, pos: number[], neg: number[]): FoldedPair[] => [
  ...pos.map((distance) => ({ fold: k, distance, same: true })),
  ...neg.map((distance) => ({ fold: k, distance, same: false })),
];

const close = (a: number | null, b: number | null, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} != ${b}`);
};

describe('crossValidatedAccuracy', () => {
  const cases: Array<{ name: string; folds: number; pairs: FoldedPair[]; expected: CrossValidatedAccuracy }> = [
    {
      // Fold 2 is inverted. Its own best threshold (0.55) would score it 1; the one chosen on folds
      // 0+1 (gap 0.2..0.8 → 0.5) scores it 0. Folds 0 and 1 are each trained on the other plus fold
      // 2, whose pairs make the first gap (0.1|0.2 .. 0.5) win: thresholds 0.35 and 0.3.
      name: 'threshold chosen on the other folds, hand-worked',
      folds: 3,
      pairs: [...fold(0, [0.1], [0.9]), ...fold(1, [0.2], [0.8]), ...fold(2, [0.6], [0.5])],
      expected: {
        folds: [
          { fold: 0, pairs: 2, threshold: 0.35, accuracy: 1 },
          { fold: 1, pairs: 2, threshold: 0.3, accuracy: 1 },
          { fold: 2, pairs: 2, threshold: 0.5, accuracy: 0 },
        ],
        mean: 2 / 3,
        // deviations 1/3, 1/3, −2/3 → Σ² = 2/3, / (n − 1) = 1/3
        std: Math.sqrt(1 / 3),
        standardError: Math.sqrt(1 / 3) / Math.sqrt(3),
      },
    },
    {
      name: 'ten identical separable folds',
      folds: 10,
      pairs: Array.from({ length: 10 }, (_, k) => fold(k, [0.3, 0.35], [0.7, 0.65])).flat(),
      expected: {
        folds: Array.from({ length: 10 }, (_, k) => ({ fold: k, pairs: 4, threshold: 0.5, accuracy: 1 })),
        mean: 1,
        std: 0,
        standardError: 0,
      },
    },
    {
      // Fold 1 lost all its pairs (no face): it has a threshold but no accuracy, and the mean is
      // over the two folds that have one. Fold 0 at 0.5 (fold 2's gap 0.2..0.8): the negative at
      // 0.3 is accepted → 3/4. Fold 2 at 0.7 (fold 0's best: 0.5..0.9 gap): 1. Fold 1 at 0.65.
      name: 'a fold without pairs',
      folds: 3,
      pairs: [...fold(0, [0.4, 0.5], [0.3, 0.9]), ...fold(2, [0.2], [0.8])],
      expected: {
        folds: [
          { fold: 0, pairs: 4, threshold: 0.5, accuracy: 3 / 4 },
          { fold: 1, pairs: 0, threshold: 0.65, accuracy: null },
          { fold: 2, pairs: 2, threshold: 0.7, accuracy: 1 },
        ],
        mean: 7 / 8,
        // deviations ±1/8 → Σ² = 1/32, / (n − 1) = 1/32; SE = std / √2 = 1/8
        std: Math.sqrt(1 / 32),
        standardError: 1 / 8,
      },
    },
    {
      name: 'a single fold with pairs: nothing to train on, no spread',
      folds: 2,
      pairs: fold(0, [0.2], [0.8]),
      expected: {
        folds: [
          { fold: 0, pairs: 2, threshold: null, accuracy: null },
          { fold: 1, pairs: 0, threshold: 0.5, accuracy: null },
        ],
        mean: null,
        std: null,
        standardError: null,
      },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = crossValidatedAccuracy(c.pairs, c.folds);
      assert.equal(r.folds.length, c.expected.folds.length);
      r.folds.forEach((f, k) => {
        const e = c.expected.folds[k];
        assert.equal(f.fold, e.fold);
        assert.equal(f.pairs, e.pairs, `fold ${k} pairs`);
        close(f.threshold, e.threshold, `fold ${k} threshold`);
        close(f.accuracy, e.accuracy, `fold ${k} accuracy`);
      });
      close(r.mean, c.expected.mean, 'mean');
      close(r.std, c.expected.std, 'std');
      close(r.standardError, c.expected.standardError, 'standard error');
    });
  }

  it('rejects a fold outside the range and fewer than two folds', () => {
    assert.throws(() => crossValidatedAccuracy(fold(3, [0.1], []), 3), (e: unknown) => e instanceof InvalidInputError && /fold must be an integer from 0 to 2/.test(e.message));
    assert.throws(() => crossValidatedAccuracy([], 1), InvalidInputError);
  });
});
