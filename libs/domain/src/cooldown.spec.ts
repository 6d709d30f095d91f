import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { Cooldown } from './cooldown';

describe('Cooldown', () => {
  const cases: Array<{ name: string; calls: Array<[string, number]>; expected: boolean[] }> = [
    { name: 'first emission passes', calls: [['p1@c1', 0]], expected: [true] },
    { name: 'repeat inside the window is suppressed', calls: [['k', 0], ['k', 500], ['k', 999]], expected: [true, false, false] },
    { name: 'window boundary is inclusive', calls: [['k', 0], ['k', 1000]], expected: [true, true] },
    { name: 'suppressed calls do not extend the window', calls: [['k', 0], ['k', 900], ['k', 1000]], expected: [true, false, true] },
    { name: 'keys are independent', calls: [['a', 0], ['b', 1], ['a', 2]], expected: [true, true, false] },
    { name: 'a late (earlier) time is suppressed', calls: [['k', 5000], ['k', 4000]], expected: [true, false] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const cd = new Cooldown(1000);
      assert.deepEqual(
        c.calls.map(([key, at]) => cd.shouldEmit(key, at)),
        c.expected,
      );
    });
  }

  it('forgets expired keys', () => {
    const cd = new Cooldown(1000);
    for (let i = 0; i < 50; i++) cd.shouldEmit(`k${i}`, i);
    assert.equal(cd.size, 50);
    cd.shouldEmit('late', 1030);
    // k0..k30 expired at 1030; k31..k49 and 'late' remain.
    assert.equal(cd.size, 20);
  });

  it('caps memory at maxKeys, dropping the oldest', () => {
    const cd = new Cooldown(60_000, { maxKeys: 3 });
    for (const k of ['a', 'b', 'c', 'd']) cd.shouldEmit(k, 0);
    assert.equal(cd.size, 3);
    assert.equal(cd.shouldEmit('a', 1), true, 'a was evicted');
    assert.equal(cd.shouldEmit('d', 1), false);
  });

  it('reset lets the next emission through', () => {
    const cd = new Cooldown(1000);
    cd.shouldEmit('k', 0);
    cd.reset('k');
    assert.equal(cd.shouldEmit('k', 1), true);
  });

  it('window 0 never suppresses', () => {
    const cd = new Cooldown(0);
    assert.equal(cd.shouldEmit('k', 0), true);
    assert.equal(cd.shouldEmit('k', 0), true);
  });

  it('rejects bad input', () => {
    assert.throws(() => new Cooldown(-1), InvalidInputError);
    assert.throws(() => new Cooldown(Number.NaN), InvalidInputError);
    assert.throws(() => new Cooldown(1000, { maxKeys: 0 }), InvalidInputError);
    assert.throws(() => new Cooldown(1000).shouldEmit('k', Number.POSITIVE_INFINITY), InvalidInputError);
  });
});
