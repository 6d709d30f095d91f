import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { centerShift, iou, type Box } from './track-geometry';

const box = (x: number, y: number, width = 10, height = 10): Box => ({ x, y, width, height });

describe('iou', () => {
  const cases = [
    { name: 'identical', a: box(0, 0), b: box(0, 0), expected: 1 },
    { name: 'disjoint', a: box(0, 0), b: box(20, 20), expected: 0 },
    { name: 'touching edges', a: box(0, 0), b: box(10, 0), expected: 0 },
    { name: 'half overlap', a: box(0, 0), b: box(5, 0), expected: 50 / 150 },
    { name: 'contained', a: box(0, 0, 10, 10), b: box(0, 0, 5, 5), expected: 0.25 },
    { name: 'zero-area', a: box(0, 0, 0, 0), b: box(0, 0, 0, 0), expected: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.ok(Math.abs(iou(c.a, c.b) - c.expected) < 1e-12);
      assert.ok(Math.abs(iou(c.b, c.a) - c.expected) < 1e-12, 'symmetric');
    });
  }
});

describe('centerShift', () => {
  const cases = [
    { name: 'same place', a: box(0, 0), b: box(0, 0), expected: 0 },
    { name: 'one width to the right', a: box(0, 0), b: box(10, 0), expected: 1 },
    { name: 'measured in the larger box', a: box(0, 0, 10, 10), b: box(5, 5, 20, 20), expected: Math.hypot(10, 10) / 20 },
    { name: 'more than 2x the size → unrelated', a: box(0, 0, 10, 10), b: box(0, 0, 25, 25), expected: Infinity },
    { name: 'zero-size box → unrelated', a: box(0, 0, 0, 0), b: box(0, 0, 10, 10), expected: Infinity },
  ];
  for (const c of cases) it(c.name, () => assert.equal(centerShift(c.a, c.b), c.expected));
});
