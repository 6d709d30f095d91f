import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import {
  bestAccuracyThreshold,
  computeAuc,
  computeVerificationMetrics,
  metricsAt,
  tarAtFar,
  tarAtFarPoint,
  type ScoredPair,
} from './verification-metrics';

const pairs = (pos: number[], neg: number[]): ScoredPair[] => [
  ...pos.map((distance) => ({ distance, same: true })),
  ...neg.map((distance) => ({ distance, same: false })),
];

// Hand-worked set: positives 0.1 0.3 0.5, negatives 0.4 0.6 0.8 0.3 (one tie with a positive).
const SMALL = pairs([0.1, 0.3, 0.5], [0.4, 0.6, 0.8, 0.3]);

describe('computeAuc', () => {
  const cases: Array<{ name: string; input: ScoredPair[]; expected: number | null }> = [
    // 0.1 beats all 4; 0.3 beats 3 and ties 1 (3.5); 0.5 beats 0.6 and 0.8 (2) → 9.5 / 12
    { name: 'hand-computed set with a tie', input: SMALL, expected: 9.5 / 12 },
    { name: 'perfect separation', input: pairs([0.1, 0.2], [0.5, 0.9]), expected: 1 },
    { name: 'perfectly wrong', input: pairs([0.5, 0.9], [0.1, 0.2]), expected: 0 },
    { name: 'all tied', input: pairs([0.5, 0.5], [0.5]), expected: 0.5 },
    { name: 'no negatives', input: pairs([0.1], []), expected: null },
    { name: 'no positives', input: pairs([], [0.1]), expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const auc = computeAuc(c.input);
      if (c.expected === null) assert.equal(auc, null);
      else assert.ok(Math.abs((auc as number) - c.expected) < 1e-12, `auc ${auc} != ${c.expected}`);
    });
  }
});

describe('metricsAt', () => {
  const cases = [
    // ≤0.45: positives 0.1 0.3 (tp 2, fn 1); negatives 0.4 0.3 (fp 2, tn 2)
    { t: 0.45, confusion: { tp: 2, fp: 2, tn: 2, fn: 1 }, accuracy: 4 / 7, far: 2 / 4, frr: 1 / 3 },
    // boundary is inclusive: 0.3 matches, both the positive and the negative at 0.3
    { t: 0.3, confusion: { tp: 2, fp: 1, tn: 3, fn: 1 }, accuracy: 5 / 7, far: 1 / 4, frr: 1 / 3 },
    { t: 0.05, confusion: { tp: 0, fp: 0, tn: 4, fn: 3 }, accuracy: 4 / 7, far: 0, frr: 1 },
    { t: 1, confusion: { tp: 3, fp: 4, tn: 0, fn: 0 }, accuracy: 3 / 7, far: 1, frr: 0 },
  ];
  for (const c of cases) {
    it(`threshold ${c.t}`, () => {
      const m = metricsAt(SMALL, c.t);
      assert.deepEqual(m.confusion, c.confusion);
      assert.equal(m.accuracy, c.accuracy);
      assert.equal(m.far, c.far);
      assert.equal(m.frr, c.frr);
    });
  }
  it('reports null rates for an absent class', () => {
    const m = metricsAt(pairs([0.2], []), 0.5);
    assert.equal(m.far, null);
    assert.equal(m.frr, 0);
  });
  it('rejects negative or non-finite distances', () => {
    assert.throws(() => metricsAt([{ distance: -1, same: true }], 0.5), InvalidInputError);
    assert.throws(() => metricsAt([{ distance: Number.NaN, same: true }], 0.5), InvalidInputError);
  });
});

describe('bestAccuracyThreshold', () => {
  const cases: Array<{ name: string; input: ScoredPair[]; threshold: number | null; accuracy?: number }> = [
    // Accuracy after each distinct distance: reject-all 4/7, ≤0.1 5/7, ≤0.3 5/7, ≤0.4 4/7, ≤0.5 5/7…
    // First 5/7 wins (lowest threshold), midpoint of [0.1, 0.3).
    { name: 'hand-computed set', input: SMALL, threshold: 0.2, accuracy: 5 / 7 },
    { name: 'separable set picks the gap midpoint', input: pairs([0.2, 0.4], [0.6, 0.8]), threshold: 0.5, accuracy: 1 },
    { name: 'only negatives: reject all, half the smallest distance', input: pairs([], [0.4, 0.8]), threshold: 0.2, accuracy: 1 },
    { name: 'only positives: accept all, at the largest distance', input: pairs([0.4, 0.8], []), threshold: 0.8, accuracy: 1 },
    { name: 'empty', input: [], threshold: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const best = bestAccuracyThreshold(c.input);
      if (c.threshold === null) return assert.equal(best, null);
      assert.ok(best);
      assert.ok(Math.abs(best.threshold - c.threshold) < 1e-12, `threshold ${best.threshold}`);
      assert.equal(best.accuracy, c.accuracy);
    });
  }
});

describe('tarAtFar', () => {
  // 100 negatives at 50..149; FAR 1e-2 allows 1 false accept, so the threshold must stay below
  // the second-smallest negative (51): positives 20, 45, 50.5 are accepted → 3/5.
  const hundred = pairs([20, 45, 50.5, 52, 60], Array.from({ length: 100 }, (_, i) => 50 + i));
  // 1000 negatives at 1000..1999; FAR 1e-3 allows 1 → below 1001: 999, 1000, 1000.5 → 3/6;
  // FAR 1e-2 allows 10 → below 1010: all 6.
  const thousand = pairs([999, 1000, 1000.5, 1001, 1001.5, 1002], Array.from({ length: 1000 }, (_, i) => 1000 + i));
  const cases: Array<{ name: string; input: ScoredPair[]; far: number; expected: number | null }> = [
    { name: '100 negatives, FAR 1e-2', input: hundred, far: 1e-2, expected: 3 / 5 },
    { name: '100 negatives cannot resolve 1e-3', input: hundred, far: 1e-3, expected: null },
    { name: '1000 negatives, FAR 1e-3', input: thousand, far: 1e-3, expected: 3 / 6 },
    { name: '1000 negatives, FAR 1e-2', input: thousand, far: 1e-2, expected: 1 },
    { name: '1000 negatives cannot resolve 1e-4', input: thousand, far: 1e-4, expected: null },
    { name: '99 negatives cannot resolve 1e-2', input: pairs([1], Array.from({ length: 99 }, () => 5)), far: 1e-2, expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(tarAtFar(c.input, c.far), c.expected));
  }
  it('rejects a FAR outside (0, 1]', () => {
    assert.throws(() => tarAtFar(hundred, 0), InvalidInputError);
    assert.throws(() => tarAtFar(hundred, 2), InvalidInputError);
  });
});

describe('tarAtFarPoint', () => {
  const hundred = pairs([20, 45, 50.5, 52, 60], Array.from({ length: 100 }, (_, i) => 50 + i));
  const thousand = pairs([999, 1000, 1000.5, 1001, 1001.5, 1002], Array.from({ length: 1000 }, (_, i) => 1000 + i));
  const tiedNegatives = Array.from({ length: 100 }, () => 5);
  const cases: Array<{ name: string; input: ScoredPair[]; far: number; expected: { tar: number; threshold: number } | null }> = [
    // Accepted: negative 50 and positives up to 50.5; the first rejected negative is 51.
    { name: '100 negatives, FAR 1e-2', input: hundred, far: 1e-2, expected: { tar: 3 / 5, threshold: 50.75 } },
    { name: '1000 negatives, FAR 1e-3', input: thousand, far: 1e-3, expected: { tar: 3 / 6, threshold: 1000.75 } },
    // Ten negatives 1000..1009 may be accepted; all positives are below 1009; 1010 is rejected.
    { name: '1000 negatives, FAR 1e-2', input: thousand, far: 1e-2, expected: { tar: 1, threshold: 1009.5 } },
    // All negatives tie at 5: accepting one accepts all, so the threshold stays below 5.
    { name: 'tied negatives', input: pairs([1, 5], tiedNegatives), far: 1e-2, expected: { tar: 1 / 2, threshold: 3 } },
    { name: 'tied negatives, nothing accepted', input: pairs([7], tiedNegatives), far: 1e-2, expected: { tar: 0, threshold: 2.5 } },
    { name: 'FAR 1 accepts everything', input: pairs([3], [1, 2]), far: 1, expected: { tar: 1, threshold: 3 } },
    { name: 'too few negatives', input: hundred, far: 1e-3, expected: null },
    { name: 'no positives', input: pairs([], tiedNegatives), far: 1e-2, expected: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const point = tarAtFarPoint(c.input, c.far);
      assert.deepEqual(point, c.expected);
      assert.equal(tarAtFar(c.input, c.far), c.expected?.tar ?? null);
      if (!point) return;
      // The threshold reproduces the TAR and keeps the FAR within the target.
      const m = metricsAt(c.input, point.threshold);
      assert.equal(1 - (m.frr as number), point.tar);
      assert.ok((m.far as number) <= c.far, `far ${m.far}`);
    });
  }
});

describe('computeVerificationMetrics', () => {
  it('combines every metric for the hand-computed set', () => {
    const m = computeVerificationMetrics(SMALL, 0.45);
    assert.equal(m.pairs, 7);
    assert.equal(m.positives, 3);
    assert.equal(m.negatives, 4);
    assert.ok(Math.abs((m.auc as number) - 9.5 / 12) < 1e-12);
    assert.equal(m.accuracy, 4 / 7);
    assert.equal(m.far, 0.5);
    assert.ok(Math.abs((m.bestThreshold as number) - 0.2) < 1e-12);
    assert.equal(m.bestAccuracy, 5 / 7);
    assert.deepEqual(m.tarAtFar, { '1e-2': null, '1e-3': null, '1e-4': null });
    assert.deepEqual(m.tarAtFarThreshold, { '1e-2': null, '1e-3': null, '1e-4': null });
  });
  it('gives each TAR at FAR with its threshold', () => {
    const m = computeVerificationMetrics(pairs([20, 45, 50.5, 52, 60], Array.from({ length: 100 }, (_, i) => 50 + i)), 50);
    assert.deepEqual(m.tarAtFar, { '1e-2': 3 / 5, '1e-3': null, '1e-4': null });
    assert.deepEqual(m.tarAtFarThreshold, { '1e-2': 50.75, '1e-3': null, '1e-4': null });
  });
});
