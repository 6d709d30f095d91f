import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { DEFAULT_LOAD_RULES, LoadGovernor } from './load-governor';

/** Scans every 250 ms from `from` (inclusive) to `to` (exclusive), each taking `ms` from submit to result. */
const scans = (from: number, to: number, ms: number) => {
  const out: Array<{ at: number; ms: number }> = [];
  for (let at = from; at < to; at += 250) out.push({ at, ms });
  return out;
};

/** Feeds the scans in time order, asking for the policy after each; returns the level at each `checks` time. */
function levelsAt(events: Array<{ at: number; ms: number }>, checks: number[]): number[] {
  const g = new LoadGovernor();
  const levels = new Map<number, number>();
  for (const e of events) {
    g.recordScan(e.at, e.ms);
    levels.set(e.at, g.policy(e.at).level);
  }
  return checks.map((t) => levels.get(t) ?? NaN);
}

describe('LoadGovernor (target: median scan ≤ 1 s; up at most once per 2 s window; down after 10 calm s)', () => {
  const cases: Array<{ name: string; events: Array<{ at: number; ms: number }>; checks: number[]; levels: number[] }> = [
    { name: 'a machine that keeps up stays at level 0', events: scans(0, 6000, 300), checks: [500, 2500, 5750], levels: [0, 0, 0] },
    {
      name: 'slow scans step up once per window, to the top, and no further (one slow scan alone is no trend)',
      events: scans(0, 12_000, 1500),
      checks: [0, 500, 2000, 2500, 4500, 7000, 11_750],
      levels: [0, 1, 1, 2, 3, 3, 3],
    },
    {
      name: 'a slow burst steps up once; the scans before the step are not judged again',
      events: [...scans(0, 1000, 1500), ...scans(1000, 5000, 300)],
      checks: [500, 2500, 4750],
      levels: [1, 1, 1],
    },
    {
      name: 'back down one level after 10 calm seconds, not before',
      events: [...scans(0, 1000, 1500), ...scans(1000, 25_000, 100)],
      checks: [5000, 10_250, 10_500, 11_000, 21_000],
      levels: [1, 1, 0, 0, 0],
    },
    {
      name: 'no step down while scans are still slower than half the target',
      events: [...scans(0, 1000, 1500), ...scans(1000, 30_000, 700)],
      checks: [5000, 15_000, 25_000],
      levels: [1, 1, 1],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(levelsAt(c.events, c.checks), c.levels));

  it('the policy names the fast detector from level 1, fewer looks at still pictures from 2, a smaller input at 3', () => {
    assert.deepEqual(
      DEFAULT_LOAD_RULES.levels.map((l) => [l.fastScans, l.fastScanInput, l.stillScanIntervalMs]),
      [[false, 416, 0], [true, 416, 0], [true, 416, 4000], [true, 320, 4000]],
    );
    const g = new LoadGovernor();
    for (const at of [0, 10, 20]) g.recordScan(at, 5000);
    assert.deepEqual(g.policy(20), { level: 1, fastScans: true, fastScanInput: 416, stillScanIntervalMs: 0 });
  });

  it('rejects nonsense', () => {
    assert.throws(() => new LoadGovernor({ ...DEFAULT_LOAD_RULES, levels: [] }), InvalidInputError);
    assert.throws(() => new LoadGovernor({ ...DEFAULT_LOAD_RULES, windowMs: 0 }), InvalidInputError);
    assert.throws(() => new LoadGovernor().recordScan(0, -1), InvalidInputError);
  });
});
