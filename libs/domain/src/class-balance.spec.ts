import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { classBalance } from './class-balance';

const repeat = (counts: Record<string, number>): string[] => Object.entries(counts).flatMap(([c, n]) => Array<string>(n).fill(c));

describe('classBalance flags classes under 10 %', () => {
  const cases: Array<{ name: string; counts: Record<string, number>; flagged: string[] }> = [
    { name: 'a 5 % class is flagged', counts: { ana: 50, bob: 45, eve: 5 }, flagged: ['eve'] },
    { name: 'exactly 10 % is not flagged', counts: { ana: 45, bob: 45, eve: 10 }, flagged: [] },
    { name: 'several small classes, largest first', counts: { a: 80, b: 9, c: 6, d: 5 }, flagged: ['b', 'c', 'd'] },
    { name: 'one class only', counts: { a: 3 }, flagged: [] },
    { name: 'empty input', counts: {}, flagged: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const report = classBalance(repeat(c.counts));
      assert.deepEqual(report.flagged, c.flagged);
      assert.equal(report.total, Object.values(c.counts).reduce((a, b) => a + b, 0));
    });
  }

  it('reports count and share per class, ties by name', () => {
    assert.deepEqual(classBalance(['b', 'a', 'b', 'a', 'c']).classes, [
      { class: 'a', count: 2, share: 0.4, underRepresented: false },
      { class: 'b', count: 2, share: 0.4, underRepresented: false },
      { class: 'c', count: 1, share: 0.2, underRepresented: false },
    ]);
  });

  it('takes another minimum share, and refuses a meaningless one', () => {
    assert.deepEqual(classBalance(repeat({ a: 70, b: 30 }), 0.35).flagged, ['b']);
    assert.throws(() => classBalance([], 0), InvalidInputError);
    assert.throws(() => classBalance([], 1), InvalidInputError);
  });
});
