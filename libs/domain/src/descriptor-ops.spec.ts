import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { l2Normalize, meanDescriptor, rawDistance } from './descriptor-ops';

const close = (a: ArrayLike<number>, b: number[]) => assert.deepEqual(Array.from(a, (x) => Math.round(x * 1e6) / 1e6), b);

describe('descriptor operations', () => {
  const means: Array<{ name: string; ds: number[][]; w?: number[]; expected: number[] }> = [
    { name: 'a face and its mirror', ds: [[1, 0, 2], [3, 2, 0]], expected: [2, 1, 1] },
    { name: 'one descriptor is itself', ds: [[0.5, -0.5, 1]], expected: [0.5, -0.5, 1] },
    { name: 'quality weights pull towards the better photo', ds: [[0, 0, 0], [4, 4, 4]], w: [3, 1], expected: [1, 1, 1] },
    { name: 'a zero weight ignores a reference', ds: [[1, 1, 1], [9, 9, 9]], w: [1, 0], expected: [1, 1, 1] },
  ];
  for (const c of means) it(`mean: ${c.name}`, () => close(meanDescriptor(c.ds, c.w), c.expected));

  const refused: Array<{ name: string; call: () => unknown; message: RegExp }> = [
    { name: 'no descriptors', call: () => meanDescriptor([]), message: /at least one/ },
    { name: 'lengths differ', call: () => meanDescriptor([[1, 2], [1]]), message: /has 1 values, expected 2/ },
    { name: 'weights miscounted', call: () => meanDescriptor([[1]], [1, 2]), message: /one weight per descriptor/ },
    { name: 'negative weight', call: () => meanDescriptor([[1]], [-1]), message: /non-negative/ },
    { name: 'all weights zero', call: () => meanDescriptor([[1], [2]], [0, 0]), message: /not all be zero/ },
    { name: 'normalising zero', call: () => l2Normalize([0, 0]), message: /zero or non-finite/ },
  ];
  for (const c of refused) it(`refuses ${c.name}`, () => assert.throws(c.call, c.message));

  it('normalises to unit length, keeping the direction', () => {
    const n = l2Normalize([3, 0, 4]);
    close(n, [0.6, 0, 0.8]);
    assert.ok(Math.abs(rawDistance(n, [0, 0, 0]) - 1) < 1e-6);
  });

  it('normalises to a chosen length (the descriptors\' median), so distances keep their scale', () => close(l2Normalize([3, 0, 4], 1.43), [0.858, 0, 1.144]));

  it('raw distance is euclidean', () => assert.equal(rawDistance([0, 3], [4, 0]), 5));
});
