import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { leaseTargets, planLeases, type LeasePlan, type LeasePlanInput } from './lease-plan';

const w = (id: string, capacity = 10, alive = true) => ({ id, capacity, alive });
/** Cameras c1..cN: '' free, 'a' held by a, 'a!' held by a but expired. */
const cams = (...holders: string[]) =>
  holders.map((h, i) => ({ id: `c${i + 1}`, holder: h === '' ? null : h.replace('!', ''), expired: h.endsWith('!') }));

describe('planLeases', () => {
  const base = { me: 'a', now: 100_000, lastMoveAt: null, rebalanceMs: 30_000 };
  const cases: Array<[string, Partial<LeasePlanInput> & Pick<LeasePlanInput, 'workers' | 'cameras'>, LeasePlan]> = [
    ['alone: claims every free camera', { workers: [w('a')], cameras: cams('', '', '') }, { claim: ['c1', 'c2', 'c3'], release: [] }],
    ['alone: never more than its capacity', { workers: [w('a', 2)], cameras: cams('', '', '') }, { claim: ['c1', 'c2'], release: [] }],
    ['two workers, all free: claims its share only', { workers: [w('a'), w('b')], cameras: cams('', '', '', '') }, { claim: ['c1', 'c2'], release: [] }],
    ['odd count: the remainder goes by id when nobody holds any', { workers: [w('a'), w('b')], cameras: cams('', '', '') }, { claim: ['c1', 'c2'], release: [] }],
    ['odd count: b (not first by id) gets the remainder when it already holds more', { me: 'b', workers: [w('a'), w('b')], cameras: cams('b', 'b', '') }, { claim: [], release: [] }],
    ['expired leases are free: takes over a dead worker\'s cameras', { workers: [w('a'), w('b', 10, false)], cameras: cams('a', 'a', 'b!', 'b!') }, { claim: ['c3', 'c4'], release: [] }],
    ['a dead worker\'s unexpired leases cannot be claimed yet', { workers: [w('a'), w('b', 10, false)], cameras: cams('a', 'a', 'b', 'b') }, { claim: [], release: [] }],
    ['its own expired lease is claimed again', { workers: [w('a')], cameras: cams('a!', 'a') }, { claim: ['c1'], release: [] }],
    ['water-filling: a small worker caps, the big one takes the rest', { workers: [w('a', 10), w('b', 1)], cameras: cams('', '', '', 'b') }, { claim: ['c1', 'c2', 'c3'], release: [] }],
    ['capacity 0 claims nothing', { workers: [w('a', 0), w('b')], cameras: cams('', '') }, { claim: [], release: [] }],
    ['not alive itself: does nothing', { workers: [w('a', 10, false)], cameras: cams('', '') }, { claim: [], release: [] }],
    ['a worker joins: the loaded one releases ONE camera', { workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'a') }, { claim: [], release: ['c4'] }],
    ['no move within rebalanceMs of the last one', { lastMoveAt: 80_000, workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'b') }, { claim: [], release: [] }],
    ['a move once rebalanceMs passed', { lastMoveAt: 70_000, workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'a') }, { claim: [], release: ['c4'] }],
    ['rebalanceMs 0: running cameras never move', { rebalanceMs: 0, workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'a') }, { claim: [], release: [] }],
    ['hysteresis: a spread of one never moves', { workers: [w('a'), w('b')], cameras: cams('a', 'a', 'b') }, { claim: [], release: [] }],
    ['hysteresis: 3 against 2 on three workers stays (spread 1)', { workers: [w('a'), w('b'), w('c')], cameras: cams('a', 'a', 'b', 'b', 'c', 'c', 'a') }, { claim: [], release: [] }],
    ['free cameras first: no release while any is free', { workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'a', '') }, { claim: [], release: [] }],
    ['the receiver is full: no release', { workers: [w('a'), w('b', 1)], cameras: cams('a', 'a', 'a', 'b') }, { claim: [], release: [] }],
    ['under target itself: claims, never releases', { me: 'b', workers: [w('a'), w('b')], cameras: cams('a', 'a', 'a', 'a') }, { claim: [], release: [] }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(planLeases({ ...base, ...input }), expected));
  }

  it('a join converges one move at a time, and then stays', () => {
    // Two workers play in turns with rebalanceMs passing between turns.
    const holders = new Map(['c1', 'c2', 'c3', 'c4', 'c5', 'c6'].map((id) => [id, 'a' as string | null]));
    const moves: string[] = [];
    for (let turn = 0; turn < 12; turn++) {
      const me = turn % 2 === 0 ? 'a' : 'b';
      const plan = planLeases({
        me, now: turn * 60_000, lastMoveAt: null, rebalanceMs: 30_000,
        workers: [w('a'), w('b')],
        cameras: [...holders].map(([id, holder]) => ({ id, holder, expired: false })),
      });
      assert.ok(plan.release.length <= 1, 'one move at a time');
      for (const id of plan.release) {
        holders.set(id, null);
        moves.push(`${me}-${id}`);
      }
      for (const id of plan.claim) holders.set(id, me);
    }
    assert.deepEqual(moves, ['a-c6', 'a-c5', 'a-c4'], 'three moves, then stable');
    assert.deepEqual([...holders.values()].filter((h) => h === 'b').length, 3);
  });
});

describe('leaseTargets', () => {
  const cases: Array<[string, Array<{ id: string; capacity: number }>, Record<string, number>, number, Record<string, number>]> = [
    ['equal split', [w('a'), w('b')], {}, 4, { a: 2, b: 2 }],
    ['remainder by id when nobody holds any', [w('b'), w('a')], {}, 3, { a: 2, b: 1 }],
    ['remainder to the holder (fewest moves)', [w('a'), w('b')], { b: 2 }, 3, { a: 1, b: 2 }],
    ['capacities cap the share', [w('a', 1), w('b', 10), w('c', 2)], {}, 9, { a: 1, b: 6, c: 2 }],
    ['more cameras than capacity', [w('a', 1), w('b', 2)], {}, 9, { a: 1, b: 2 }],
    ['no cameras', [w('a'), w('b')], {}, 0, { a: 0, b: 0 }],
  ];
  for (const [name, workers, counts, n, expected] of cases) {
    it(name, () => assert.deepEqual(Object.fromEntries(leaseTargets(workers, new Map(Object.entries(counts)), n)), expected));
  }
});
