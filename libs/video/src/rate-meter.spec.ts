import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecimator, RateMeter } from './rate-meter';

describe('RateMeter', () => {
  it('null until a second of data, then frames per second over the window', () => {
    const m = new RateMeter(5000);
    for (let t = 0; t < 1000; t += 200) m.add(t);
    assert.equal(m.fps(), null);
    for (let t = 1000; t <= 10_000; t += 200) m.add(t);
    assert.equal(m.fps(), 5);
  });
  it('follows a rate change within the window', () => {
    const m = new RateMeter(2000);
    for (let t = 0; t <= 4000; t += 100) m.add(t);
    for (let t = 4500; t <= 8000; t += 500) m.add(t);
    assert.equal(m.fps(), 2);
  });
});

describe('FrameDecimator', () => {
  const cases: Array<[string, number, number[], number[]]> = [
    ['25 fps source to 5 fps', 5, Array.from({ length: 26 }, (_, i) => i * 40), [0, 200, 400, 600, 800, 1000]],
    ['jitter does not skip an interval', 5, [0, 40, 195, 230, 390, 420, 600], [0, 195, 390, 600]],
    ['slower source passes unchanged', 5, [0, 300, 600], [0, 300, 600]],
  ];
  for (const [name, fps, times, kept] of cases) {
    it(name, () => {
      const d = new FrameDecimator(fps);
      assert.deepEqual(times.filter((t) => d.keep(t)), kept);
    });
  }
});
