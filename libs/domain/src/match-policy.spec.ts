import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { CALIBRATED_DEFAULTS } from './calibrated-defaults';
import { TEST_POLICY } from './testing/faces';
import { DEFAULT_MATCH_POLICY, decideMatch, validateMatchPolicy, type MatchCandidate, type MatchPolicy } from './match-policy';

const c = (personId: string, distance: number, list: MatchCandidate['list'] = 'employee'): MatchCandidate => ({ personId, list, distance });

describe('decideMatch', () => {
  const cases: Array<{ name: string; candidates: MatchCandidate[]; expected: Record<string, unknown> }> = [
    { name: 'no candidates', candidates: [], expected: { kind: 'unknown', reason: 'no_candidates' } },
    { name: 'single clear employee', candidates: [c('e1', 0.3)], expected: { kind: 'match', personId: 'e1', margin: null } },
    { name: 'employee at its threshold (inclusive)', candidates: [c('e1', 0.45)], expected: { kind: 'match', score: 0.5 } },
    {
      name: 'watchlist is stricter: 0.42 is no watchlist match',
      candidates: [c('w1', 0.42, 'watchlist')],
      expected: { kind: 'unknown', reason: 'above_threshold', bestDistance: 0.42, bestPersonId: 'w1', bestList: 'watchlist' },
    },
    { name: 'employee at 0.42 matches', candidates: [c('e1', 0.42)], expected: { kind: 'match', personId: 'e1' } },
    {
      name: 'no fall-through to a farther person on a looser list',
      candidates: [c('w1', 0.41, 'watchlist'), c('e1', 0.44)],
      expected: { kind: 'unknown', reason: 'above_threshold', bestDistance: 0.41 },
    },
    {
      name: 'second person too close → ambiguous',
      candidates: [c('e1', 0.3), c('e2', 0.33)],
      expected: { kind: 'unknown', reason: 'ambiguous', bestDistance: 0.3, bestPersonId: 'e1', bestList: 'employee' },
    },
    { name: 'margin exactly met', candidates: [c('e1', 0.4), c('e2', 0.45)], expected: { kind: 'match', personId: 'e1' } },
    {
      name: 'second reference of the same person is no rival',
      candidates: [c('e1', 0.3), c('e1', 0.31), c('e2', 0.6)],
      expected: { kind: 'match', personId: 'e1' },
    },
    { name: 'unsorted input', candidates: [c('e2', 0.7), c('e1', 0.2)], expected: { kind: 'match', personId: 'e1' } },
    {
      name: 'rival above threshold still makes it ambiguous',
      candidates: [c('w1', 0.38, 'watchlist'), c('e1', 0.41)],
      expected: { kind: 'unknown', reason: 'ambiguous' },
    },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const d = decideMatch(t.candidates, TEST_POLICY) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(t.expected)) {
        if (typeof value === 'number') assert.ok(Math.abs((d[key] as number) - value) < 1e-9, `${key}: ${String(d[key])}`);
        else assert.equal(d[key], value, key);
      }
    });
  }

  it('scores with the list threshold and reports the margin', () => {
    const d = decideMatch([{ ...c('w1', 0.2, 'watchlist'), referenceId: 'r9' }, c('e1', 0.5)], TEST_POLICY);
    assert.equal(d.kind, 'match');
    if (d.kind !== 'match') return;
    assert.equal(d.score, 0.75);
    assert.ok(Math.abs((d.margin ?? 0) - 0.3) < 1e-12);
    assert.equal(d.referenceId, 'r9');
    assert.equal(d.list, 'watchlist');
  });

  it('honours a custom policy', () => {
    const loose: MatchPolicy = { thresholds: { watchlist: 0.5, employee: 0.5 }, margin: 0 };
    assert.equal(decideMatch([c('w1', 0.48, 'watchlist'), c('e1', 0.49)], loose).kind, 'match');
  });
});

describe('validateMatchPolicy', () => {
  it('accepts the default, which is the calibrated one, the watchlist the stricter list', () => {
    assert.equal(validateMatchPolicy(DEFAULT_MATCH_POLICY), DEFAULT_MATCH_POLICY);
    assert.deepEqual(DEFAULT_MATCH_POLICY.thresholds, { watchlist: CALIBRATED_DEFAULTS.watchlist, employee: CALIBRATED_DEFAULTS.employee });
    assert.ok(DEFAULT_MATCH_POLICY.thresholds.watchlist <= DEFAULT_MATCH_POLICY.thresholds.employee);
  });
  const bad: Array<[string, unknown]> = [
    ['threshold below bounds', { thresholds: { watchlist: 0.1, employee: 0.45 }, margin: 0.05 }],
    ['threshold above bounds', { thresholds: { watchlist: 0.4, employee: 0.9 }, margin: 0.05 }],
    ['missing list', { thresholds: { watchlist: 0.4 }, margin: 0.05 }],
    ['negative margin', { thresholds: { watchlist: 0.4, employee: 0.45 }, margin: -0.01 }],
    ['huge margin', { thresholds: { watchlist: 0.4, employee: 0.45 }, margin: 0.5 }],
    ['no thresholds', { margin: 0.05 }],
  ];
  for (const [name, policy] of bad) {
    it(`rejects ${name}`, () => assert.throws(() => validateMatchPolicy(policy as MatchPolicy), InvalidInputError));
  }
  it('decideMatch validates too, and rejects bad distances', () => {
    assert.throws(() => decideMatch([c('e1', 0.3)], { thresholds: { watchlist: 0.4, employee: 0.45 }, margin: 1 }), InvalidInputError);
    assert.throws(() => decideMatch([c('e1', Number.NaN)]), InvalidInputError);
    assert.throws(() => decideMatch([c('e1', -1)]), InvalidInputError);
  });
});
