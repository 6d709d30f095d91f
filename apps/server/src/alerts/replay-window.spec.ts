import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planReplay } from './replay-window';

/** Rows after the offset, newest first, as the repository's newestAfter returns them. */
const rows = (...seqs: number[]) => seqs.map((seq) => ({ seq: String(seq) }));
const seqs = (window: Array<{ seq: string }>) => window.map((r) => Number(r.seq));

describe('planReplay: the newest window after an offset, and what it leaves out', () => {
  const cases: Array<{ name: string; offset: string; newestFirst: number[]; max: number; window: number[]; skipped: [string, string] | null; cursor: string }> = [
    { name: 'nothing after the offset', offset: '7', newestFirst: [], max: 3, window: [], skipped: null, cursor: '7' },
    { name: 'fewer than the window: all of them, oldest first', offset: '7', newestFirst: [10, 9, 8], max: 5, window: [8, 9, 10], skipped: null, cursor: '10' },
    { name: 'exactly the window: nothing left out', offset: '0', newestFirst: [3, 2, 1], max: 3, window: [1, 2, 3], skipped: null, cursor: '3' },
    { name: 'one more than the window: the oldest is left out', offset: '0', newestFirst: [4, 3, 2, 1], max: 3, window: [2, 3, 4], skipped: ['0', '1'], cursor: '4' },
    { name: 'seq gaps: the range names the newest left out, not window start - 1', offset: '5', newestFirst: [40, 31, 30, 12], max: 2, window: [31, 40], skipped: ['5', '30'], cursor: '40' },
    { name: 'a window of one', offset: '99', newestFirst: [101, 100], max: 1, window: [101], skipped: ['99', '100'], cursor: '101' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const plan = planReplay(c.offset, rows(...c.newestFirst), c.max);
      assert.deepEqual(seqs(plan.window), c.window);
      assert.deepEqual(plan.skipped, c.skipped && { afterSeq: c.skipped[0], throughSeq: c.skipped[1] });
      assert.equal(plan.cursor, c.cursor);
    });
  }

  it('does not reorder the caller\'s rows', () => {
    const given = rows(3, 2, 1);
    planReplay('0', given, 2);
    assert.deepEqual(seqs(given), [3, 2, 1]);
  });

  for (const max of [0, -1, 1.5, Number.NaN]) {
    it(`refuses a window of ${max}`, () => assert.throws(() => planReplay('0', rows(1), max), RangeError));
  }
});
