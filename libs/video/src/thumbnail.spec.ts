import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { changedFraction, greyThumbnail, meanAbsDiff } from './thumbnail';

function solid(w: number, h: number, rgb: [number, number, number]): Buffer {
  const b = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) b.set(rgb, i * 3);
  return b;
}

describe('greyThumbnail', () => {
  const cases: Array<[[number, number, number], number]> = [
    [[0, 0, 0], 0],
    [[255, 255, 255], 255],
    [[255, 0, 0], 76.245],
    [[0, 255, 0], 149.685],
    [[0, 0, 255], 29.07],
  ];
  for (const [rgb, luma] of cases) {
    it(`rgb ${rgb.join(',')} → luma ${luma}`, () => {
      const t = greyThumbnail(solid(64, 36, rgb), 64, 36);
      assert.equal(t.data.length, 32 * 18);
      for (const v of t.data) assert.ok(Math.abs(v - luma) < 0.01, String(v));
    });
  }
  it('keeps where things are: a white left half gives bright left cells', () => {
    const b = solid(64, 36, [0, 0, 0]);
    for (let y = 0; y < 36; y++) for (let x = 0; x < 32; x++) b.set([255, 255, 255], (y * 64 + x) * 3);
    const t = greyThumbnail(b, 64, 36);
    assert.equal(t.data[0], 255);
    assert.equal(t.data[31], 0);
  });
  it('refuses a buffer of the wrong size', () => assert.throws(() => greyThumbnail(Buffer.alloc(10), 64, 36), RangeError));
});

describe('meanAbsDiff and changedFraction', () => {
  const a = greyThumbnail(solid(64, 36, [100, 100, 100]), 64, 36);
  const b = greyThumbnail(solid(64, 36, [110, 110, 110]), 64, 36);
  it('mean abs diff of uniform shift', () => assert.ok(Math.abs(meanAbsDiff(a, b) - 10) < 1e-3));
  it('identical is 0', () => assert.equal(meanAbsDiff(a, a), 0));
  it('all cells changed by 10 > 8', () => assert.equal(changedFraction(a, b, 8), 1));
  it('none changed by 10 > 12', () => assert.equal(changedFraction(a, b, 12), 0));
});
