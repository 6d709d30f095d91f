import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DESCRIPTOR_LENGTH } from './descriptor';
import { InvalidInputError } from './errors';
import { assessPersonReferences, DEFAULT_OUTLIER_RULE, leaveOneOutDistances, OUTLIER_REFERENCE_WEIGHT, type PersonReference } from './reference-outliers';

/** A descriptor at a point: a common base (like real descriptors, not at the origin) plus offsets in the first dimensions. */
function at(...offsets: number[]): Float32Array {
  const v = new Float32Array(DESCRIPTOR_LENGTH).fill(0.1);
  offsets.forEach((o, i) => (v[i] = 0.1 + o));
  return v;
}

function refs(points: Record<string, Float32Array | [Float32Array, string]>): PersonReference[] {
  return Object.entries(points).map(([id, p]) => (Array.isArray(p) ? { id, embedding: p[0], derivedFromId: p[1] } : { id, embedding: p }));
}

function flagged(points: Record<string, Float32Array | [Float32Array, string]>): string[] {
  return [...assessPersonReferences(refs(points))].filter(([, a]) => a.outlier).map(([id]) => id).sort();
}

describe('reference outliers', () => {
  const cases: Array<{ name: string; points: Record<string, Float32Array | [Float32Array, string]>; outliers: string[] }> = [
    { name: 'no references', points: {}, outliers: [] },
    { name: 'two references far apart: too few to tell which is odd', points: { a: at(0), b: at(0.9) }, outliers: [] },
    {
      name: 'three close photos and one of somebody else: that one',
      points: { a: at(0, 0), b: at(0.3, 0), c: at(0.15, 0.26), x: at(0, 0, 0.8) },
      outliers: ['x'],
    },
    {
      name: 'one odd photo out of three',
      points: { a: at(0, 0), b: at(0.36, 0), c: at(0.18, 0.68) },
      outliers: ['c'],
    },
    {
      name: 'three photos equally far apart: a wide spread, not an outlier',
      points: { a: at(0, 0), b: at(0.8, 0), c: at(0.4, 0.693) },
      outliers: [],
    },
    {
      name: 'odd for the person but still within the match threshold of the others: kept',
      points: { a: at(0), b: at(0), c: at(0), x: at(0, 0.4) },
      outliers: [],
    },
    {
      name: 'two outliers in different directions among six',
      points: { a: at(0, 0), b: at(0.2, 0), c: at(0, 0.2), d: at(0.2, 0.2), x: at(0, 0, 0.9), y: at(0, 0, 0, -0.9) },
      outliers: ['x', 'y'],
    },
    {
      name: 'variants share the flag of their original and are left out of the statistics',
      points: {
        a: at(0, 0),
        b: at(0.3, 0),
        c: at(0.15, 0.26),
        x: at(0, 0, 0.8),
        'x-flip': [at(0, 0), 'x'],
        'a-flip': [at(0, 0, 0.8), 'a'],
      },
      outliers: ['x', 'x-flip'],
    },
    {
      name: 'variants do not count towards the minimum of three',
      points: { a: at(0), x: at(0, 0.9), 'a-1': [at(0.01), 'a'], 'a-2': [at(0.02), 'a'], 'a-3': [at(0.03), 'a'] },
      outliers: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(flagged(c.points), c.outliers));
  }

  it('outliers get the reduced weight, everything else weight 1; distances only for judged own photos', () => {
    const result = assessPersonReferences(refs({ a: at(0, 0), b: at(0.3, 0), c: at(0.15, 0.26), x: at(0, 0, 0.8), 'x-flip': [at(0), 'x'] }));
    assert.equal(result.get('x')!.weight, OUTLIER_REFERENCE_WEIGHT);
    assert.equal(result.get('x-flip')!.weight, OUTLIER_REFERENCE_WEIGHT);
    for (const id of ['a', 'b', 'c']) assert.equal(result.get(id)!.weight, 1);
    assert.ok(result.get('x')!.distance! > DEFAULT_OUTLIER_RULE.distanceThreshold);
    assert.equal(result.get('x-flip')!.distance, null);
    assert.equal(assessPersonReferences(refs({ a: at(0), b: at(1) })).get('a')!.distance, null);
    assert.ok(OUTLIER_REFERENCE_WEIGHT > 0 && OUTLIER_REFERENCE_WEIGHT < 1);
  });

  it('leave-one-out distances: each point against the mean of the others', () => {
    const d = leaveOneOutDistances([at(0), at(1), at(2)]);
    assert.deepEqual(d.map((x) => Number(x.toFixed(4))), [1.5, 0, 1.5]);
    assert.deepEqual(leaveOneOutDistances([at(0)]), []);
  });

  it('a stricter rule flags more', () => {
    const points = refs({ a: at(0, 0), b: at(0.36, 0), c: at(0.18, 0.4) });
    assert.equal([...assessPersonReferences(points).values()].filter((a) => a.outlier).length, 0);
    const strict = assessPersonReferences(points, { ...DEFAULT_OUTLIER_RULE, distanceThreshold: 0.3, relativeFactor: 1 });
    assert.equal(strict.get('c')!.outlier, true);
  });

  const bad: Array<{ name: string; input: PersonReference[]; rule?: typeof DEFAULT_OUTLIER_RULE }> = [
    { name: 'duplicate ids', input: [{ id: 'a', embedding: at(0) }, { id: 'a', embedding: at(1) }] },
    { name: 'empty id', input: [{ id: '', embedding: at(0) }] },
    { name: 'wrong length', input: [{ id: 'a', embedding: new Float32Array(3) }] },
    { name: 'non-finite value', input: [{ id: 'a', embedding: at(Number.NaN) }, { id: 'b', embedding: at(0) }, { id: 'c', embedding: at(1) }] },
    { name: 'variant of an unknown reference', input: [{ id: 'a', embedding: at(0) }, { id: 'v', embedding: at(0), derivedFromId: 'zz' }] },
    { name: 'variant of a variant', input: [{ id: 'a', embedding: at(0) }, { id: 'v', embedding: at(0), derivedFromId: 'a' }, { id: 'w', embedding: at(0), derivedFromId: 'v' }] },
    { name: 'minimum below three', input: [], rule: { ...DEFAULT_OUTLIER_RULE, minReferences: 2 } },
    { name: 'relative factor below one', input: [], rule: { ...DEFAULT_OUTLIER_RULE, relativeFactor: 0.5 } },
    { name: 'threshold not positive', input: [], rule: { ...DEFAULT_OUTLIER_RULE, distanceThreshold: 0 } },
  ];
  for (const b of bad) {
    it(`refuses ${b.name}`, () => assert.throws(() => assessPersonReferences(b.input, b.rule), InvalidInputError));
  }
});
