import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader } from './frame-reader';

/** n frames of 4x2 rgb24 where every byte of frame i is i (so mixing frames is visible). */
function stream(n: number, frameBytes: number): Buffer {
  return Buffer.concat(Array.from({ length: n }, (_, i) => Buffer.alloc(frameBytes, i + 1)));
}

function split(data: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const size = sizes[i % sizes.length]!;
    out.push(data.subarray(at, at + size));
    at += size;
  }
  return out;
}

describe('FrameReader assembles exact frames from any chunking', () => {
  const frameBytes = 4 * 2 * 3;
  const chunkings: Array<[string, number[]]> = [
    ['one byte at a time', [1]],
    ['exact frames', [frameBytes]],
    ['two frames per chunk', [frameBytes * 2]],
    ['odd sizes', [7, 31, 5, 48, 2]],
    ['frame and a half', [Math.floor(frameBytes * 1.5)]],
    ['everything at once', [frameBytes * 10]],
  ];
  for (const [name, sizes] of chunkings) {
    it(name, () => {
      const got: Buffer[] = [];
      const reader = new FrameReader(4, 2, (d) => got.push(Buffer.from(d)), () => 42);
      for (const c of split(stream(10, frameBytes), sizes)) reader.push(c);
      reader.end();
      assert.equal(got.length, 10);
      got.forEach((f, i) => assert.deepEqual(f, Buffer.alloc(frameBytes, i + 1)));
      assert.equal(reader.frames, 10);
      assert.equal(reader.partialFrames, 0);
    });
  }

  it('drops and counts a partial frame at stream end, and starts clean afterwards', () => {
    const sizes: number[] = [];
    const reader = new FrameReader(4, 2, (d) => sizes.push(d.length));
    reader.push(stream(2, frameBytes).subarray(0, frameBytes + 5));
    reader.end();
    assert.deepEqual(sizes, [frameBytes]);
    assert.equal(reader.partialFrames, 1);
    reader.push(stream(1, frameBytes));
    assert.deepEqual(sizes, [frameBytes, frameBytes]);
  });

  it('timestamps each frame with the clock when it completes', () => {
    let now = 100;
    const at: number[] = [];
    const reader = new FrameReader(1, 1, (_d, t) => at.push(t), () => now);
    reader.push(Buffer.from([1, 2]));
    now = 200;
    reader.push(Buffer.from([3, 4, 5, 6]));
    assert.deepEqual(at, [200, 200]);
  });

  it('refuses a nonsensical size', () => assert.throws(() => new FrameReader(0, 2, () => undefined), RangeError));
});
