import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { DEFAULT_LOAD_RULES, LoadGovernor } from './load-governor';

type Event = { at: number; scan?: number; drop?: true; expectLevel?: number };

/** Replays scans / drops and checks the level the governor answers at chosen times. */
function replay(events: Event[]): number[] {
  const g = new LoadGovernor();
  const levels: number[] = [];
  for (const e of events) {
    if (e.scan !== undefined) g.recordScan(e.at, e.scan);
    if (e.drop) g.recordDrop(e.at);
    const level = g.policy(e.at).level;
    if (e.expectLevel !== undefined) levels.push(level);
  }
  return levels;
}

/** One scan every 250 ms with the given latency, from `from` to `to`. */
const scans = (from: number, to: number, ms: number, checkEvery = 1000): Event[] => {
  const out: Event[] = [];
  for (let at = from; at < to; at += 250) out.push({ at, scan: ms, ...(at % checkEvery === 0 ? { expectLevel: 0 } : {}) });
  return out;
};

/** Marks the events at these times as the ones whose level is checked. */
const checkAt = (events: Event[], times: number[]): Event[] => events.map((e) => (times.includes(e.at) ? { ...e, expectLevel: 0 } : e));

describe('LoadGovernor', () => {
  const cases: Array<{ name: string; events: Event[]; levels: number[] }> = [
    { name: 'a machine that keeps up stays at level 0', events: scans(0, 5000, 300), levels: [0, 0, 0, 0, 0] },
    {
      name: 'slow scans step up one level per 2 s window, to the top, and no further',
      events: scans(0, 12_000, 1500, 2000),
      levels: [1, 2, 3, 3, 3, 3],
    },
    {
      name: 'a queue drop steps up at once',
      events: [{ at: 0, scan: 200 }, { at: 100, drop: true, expectLevel: 0 }],
      levels: [1],
    },
    {
      name: 'back down one level after 10 quiet seconds, not before',
      events: [{ at: 0, drop: true, expectLevel: 0 }, ...checkAt(scans(250, 25_000, 100, Infinity), [3000, 9750, 10_250, 20_250])],
      // The drop at 0 → 1; still 1 at 3 s and 9.75 s; the drop is 10 s old at 10.25 s → 0; stays 0.
      levels: [1, 1, 1, 0, 0],
    },
    {
      name: 'no step down while scans are still slower than half the target',
      events: [{ at: 0, drop: true, expectLevel: 0 }, ...scans(250, 30_000, 500, 10_000)],
      levels: [1, 1, 1],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(replay(c.events), c.levels));

  it('the policy names the fast detector from level 1 and slower idle scans from level 2', () => {
    assert.deepEqual(DEFAULT_LOAD_RULES.levels.map((l) => [l.fastScans, l.idleScanIntervalMs]), [[false, 0], [true, 0], [true, 1000], [true, 2500]]);
    const g = new LoadGovernor();
    g.recordDrop(0);
    assert.deepEqual(g.policy(0), { level: 1, fastScans: true, idleScanIntervalMs: 0 });
  });

  it('rejects nonsense', () => {
    assert.throws(() => new LoadGovernor({ ...DEFAULT_LOAD_RULES, levels: [] }), InvalidInputError);
    assert.throws(() => new LoadGovernor({ ...DEFAULT_LOAD_RULES, windowMs: 0 }), InvalidInputError);
    assert.throws(() => new LoadGovernor().recordScan(0, -1), InvalidInputError);
  });
});
