import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { DEFAULT_KIOSK_REVEAL, kioskReveal, type KioskRevealPolicy } from './kiosk-reveal';
import { decideMatch, type MatchCandidate, type MatchPolicy } from './match-policy';

const POLICY: MatchPolicy = { thresholds: { watchlist: 0.44, employee: 0.53 }, margin: 0.05 };
const c = (personId: string, distance: number, list: MatchCandidate['list'] = 'employee'): MatchCandidate => ({ personId, list, distance });

describe('kioskReveal: a name only on a confident employee match (defaults: 0.05 below the threshold, 0.10 to the runner-up)', () => {
  const cases: Array<{ name: string; candidates: MatchCandidate[]; expected: 'reveal' | 'not_employee' | 'near_threshold' | 'close_runner_up' }> = [
    { name: 'clear employee, nobody else enrolled', candidates: [c('e1', 0.2)], expected: 'reveal' },
    { name: 'clear employee, the next person far away', candidates: [c('e1', 0.3), c('e2', 0.7)], expected: 'reveal' },
    { name: 'exactly 0.05 below the threshold and exactly 0.10 to the runner-up', candidates: [c('e1', 0.48), c('e2', 0.58)], expected: 'reveal' },
    { name: 'an employee match just under the threshold (0.52 ≤ 0.53)', candidates: [c('e1', 0.52)], expected: 'near_threshold' },
    { name: 'an employee match at 0.49: above 0.53 − 0.05', candidates: [c('e1', 0.49)], expected: 'near_threshold' },
    { name: 'matched (gap 0.06 ≥ the matcher\'s 0.05) but the runner-up is within 0.10', candidates: [c('e1', 0.3), c('e2', 0.36)], expected: 'close_runner_up' },
    { name: 'the runner-up is a watchlist person within 0.10', candidates: [c('e1', 0.3), c('w1', 0.38, 'watchlist')], expected: 'close_runner_up' },
    { name: 'a watchlist person, however close', candidates: [c('w1', 0.1, 'watchlist')], expected: 'not_employee' },
    { name: 'a stranger (nearest above the threshold)', candidates: [c('e1', 0.6)], expected: 'not_employee' },
    { name: 'an ambiguous face (two employees alike)', candidates: [c('e1', 0.3), c('e2', 0.32)], expected: 'not_employee' },
    { name: 'an empty gallery', candidates: [], expected: 'not_employee' },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const verdict = kioskReveal(decideMatch(t.candidates, POLICY), POLICY);
      assert.equal(verdict.reveal ? 'reveal' : verdict.reason, t.expected);
    });
  }

  it('follows the active policy\'s employee threshold (a recalibrated version moves the line)', () => {
    const strict: MatchPolicy = { ...POLICY, thresholds: { watchlist: 0.4, employee: 0.42 } };
    const match = decideMatch([c('e1', 0.36)], strict);
    assert.equal(kioskReveal(match, strict).reveal, true);
    assert.deepEqual(kioskReveal(decideMatch([c('e1', 0.38)], strict), strict), { reveal: false, reason: 'near_threshold' });
  });

  it('honours a custom reveal policy; zero margins reveal every employee match', () => {
    const none: KioskRevealPolicy = { belowThreshold: 0, runnerUpGap: 0 };
    assert.equal(kioskReveal(decideMatch([c('e1', 0.53), c('e2', 0.58)], POLICY), POLICY, none).reveal, true);
    assert.equal(kioskReveal(decideMatch([c('e1', 0.53), c('e2', 0.58)], POLICY), POLICY).reveal, false);
  });

  it('rejects bad reveal policies', () => {
    assert.deepEqual(DEFAULT_KIOSK_REVEAL, { belowThreshold: 0.05, runnerUpGap: 0.1 });
    const match = decideMatch([c('e1', 0.2)], POLICY);
    for (const bad of [{ belowThreshold: -0.1, runnerUpGap: 0.1 }, { belowThreshold: 0.05, runnerUpGap: Number.NaN }, { belowThreshold: 0.6, runnerUpGap: 0.1 }]) {
      assert.throws(() => kioskReveal(match, POLICY, bad), InvalidInputError, JSON.stringify(bad));
    }
  });
});
