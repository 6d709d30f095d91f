import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff, backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const cases: Array<[number, number, number]> = [
    // attempt, random, expected (base 1000, cap 30000, jitter 0.5)
    [0, 0, 1000],
    [0, 1, 500],
    [1, 0, 2000],
    [3, 0.5, 6000],
    [4, 0, 16000],
    [5, 0, 30000],
    [50, 0, 30000],
    [5000, 1, 15000],
  ];
  for (const [attempt, r, expected] of cases) {
    it(`attempt ${attempt}, random ${r} → ${expected}`, () => assert.equal(backoffDelay(attempt, { random: () => r }), expected));
  }
  it('never exceeds the cap nor drops below half of it once capped', () => {
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(i % 40, { baseMs: 200, capMs: 2000 });
      assert.ok(d <= 2000 && d >= 100, String(d));
    }
  });
});

describe('Backoff', () => {
  it('climbs and resets', () => {
    const b = new Backoff({ random: () => 0, baseMs: 100, capMs: 1000 });
    assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 800, 1000]);
    b.reset();
    assert.equal(b.next(), 100);
    assert.equal(b.attempts, 1);
  });
});
