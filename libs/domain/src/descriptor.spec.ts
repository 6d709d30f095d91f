import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { DEFAULT_MATCH_THRESHOLD, distanceToScore, euclideanDistance, isMatch, validateMatchThreshold } from './descriptor';

const vec = (entries: Record<number, number>): Float32Array => {
  const v = new Float32Array(128);
  for (const [i, x] of Object.entries(entries)) v[Number(i)] = x;
  return v;
};

describe('euclideanDistance', () => {
  const cases = [
    { name: '3-4-5 triangle', a: vec({}), b: vec({ 0: 3, 1: 4 }), expected: 5 },
    { name: 'identical', a: vec({ 5: 0.25 }), b: vec({ 5: 0.25 }), expected: 0 },
    { name: 'last component counts', a: vec({ 127: 1 }), b: vec({ 127: -1 }), expected: 2 },
  ];
  for (const c of cases) it(c.name, () => assert.equal(euclideanDistance(c.a, c.b), c.expected));

  it('accepts plain number arrays', () => {
    assert.equal(euclideanDistance(Array.from(vec({ 2: 1 })), Array.from(vec({}))), 1);
  });
  it('rejects wrong lengths and non-finite values', () => {
    assert.throws(() => euclideanDistance(new Float32Array(127), vec({})), InvalidInputError);
    assert.throws(() => euclideanDistance(vec({ 3: Number.NaN }), vec({})), InvalidInputError);
  });
});

describe('distanceToScore', () => {
  const t = 0.4;
  const cases = [
    { d: 0, expected: 1 },
    { d: 0.2, expected: 0.75 },
    { d: 0.4, expected: 0.5 },
    { d: 0.8, expected: 0.25 },
    { d: 1.2, expected: 0 },
    { d: 1.9, expected: 0 },
  ];
  for (const c of cases) {
    it(`distance ${c.d} with threshold ${t} → ${c.expected}`, () => {
      assert.ok(Math.abs(distanceToScore(c.d, t) - c.expected) < 1e-12);
    });
  }
  it('maps the default threshold to 0.5 and is monotonic decreasing', () => {
    assert.equal(distanceToScore(DEFAULT_MATCH_THRESHOLD), 0.5);
    let prev = Infinity;
    for (let d = 0; d <= 1.5; d += 0.01) {
      const s = distanceToScore(d);
      assert.ok(s <= prev && s >= 0 && s <= 1, `score ${s} at ${d}`);
      prev = s;
    }
  });
  it('rejects negative distances', () => assert.throws(() => distanceToScore(-0.1), InvalidInputError));
});

describe('match threshold', () => {
  it('isMatch is inclusive', () => {
    assert.equal(isMatch(0.45, 0.45), true);
    assert.equal(isMatch(0.4500001, 0.45), false);
  });
  const invalid = [0.1, 0.9, Number.NaN, Infinity];
  for (const v of invalid) it(`rejects ${v}`, () => assert.throws(() => validateMatchThreshold(v), InvalidInputError));
  it('accepts values in bounds', () => assert.equal(validateMatchThreshold(0.5), 0.5));
});
