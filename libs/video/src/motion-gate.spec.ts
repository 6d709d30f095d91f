import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MotionGate } from './motion-gate';
import type { GreyThumb } from './thumbnail';

/** A 100-cell thumbnail whose first `moved` cells are bright. */
const pic = (moved: number): GreyThumb => ({
  width: 10,
  height: 10,
  data: new Float32Array(Array.from({ length: 100 }, (_, i) => (i < moved ? 200 : 50))),
});

describe('MotionGate', () => {
  // steps: [ms, picture (cells moved), expected analyse, expected reason]
  const scenarios: Array<[string, number, Array<[number, number, boolean, string]>]> = [
    ['first frame always passes; a still scene waits for maxInterval', 0.5, [[0, 0, true, 'first'], [100, 0, false, 'still'], [1999, 0, false, 'still'], [2000, 0, true, 'interval']]],
    ['mid sensitivity: threshold 1.25 %, so 1 % waits and 2 % passes', 0.5, [[0, 0, true, 'first'], [100, 1, false, 'still'], [200, 2, true, 'motion']]],
    ['low sensitivity: threshold 5 %, so 4 % waits and 5 % passes', 0, [[0, 0, true, 'first'], [100, 4, false, 'still'], [200, 5, true, 'motion']]],
    ['full sensitivity: everything passes', 1, [[0, 0, true, 'first'], [100, 0, true, 'motion'], [200, 0, true, 'motion']]],
    ['compares with the last ANALYSED frame', 0, [[0, 0, true, 'first'], [100, 4, false, 'still'], [200, 5, true, 'motion'], [300, 5, false, 'still']]],
  ];
  for (const [name, sensitivity, steps] of scenarios) {
    it(name, () => {
      let now = 0;
      const gate = new MotionGate({ sensitivity, maxIntervalMs: 2000, clock: () => now });
      for (const [at, moved, analyse, reason] of steps) {
        now = at;
        const d = gate.check(pic(moved));
        assert.deepEqual([d.analyse, d.reason], [analyse, reason], `at ${at}`);
      }
    });
  }
  it('refuses a sensitivity outside 0..1', () => assert.throws(() => new MotionGate({ sensitivity: 1.5 }), RangeError));
});
