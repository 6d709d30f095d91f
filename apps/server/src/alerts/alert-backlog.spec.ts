import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AlertBacklog } from './alert-backlog';

describe('AlertBacklog: at most `limit` unanswered alerts per socket', () => {
  // 's' = try to send one (expect the boolean), 'a' = an answer arrives.
  const cases: Array<{ name: string; limit: number; steps: Array<['s', boolean] | ['a']>; left: number }> = [
    { name: 'sends up to the limit, refuses the next', limit: 2, steps: [['s', true], ['s', true], ['s', false]], left: 2 },
    { name: 'an answer frees a place', limit: 2, steps: [['s', true], ['s', true], ['a'], ['s', true], ['s', false]], left: 2 },
    { name: 'a client that answers each one never reaches the limit', limit: 1, steps: [['s', true], ['a'], ['s', true], ['a'], ['s', true], ['a']], left: 0 },
    { name: 'a stray answer does not go below zero (nor grant an extra place)', limit: 1, steps: [['a'], ['a'], ['s', true], ['s', false]], left: 1 },
    { name: 'a refused send is not counted', limit: 1, steps: [['s', true], ['s', false], ['s', false], ['a']], left: 0 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const backlog = new AlertBacklog(c.limit);
      c.steps.forEach((step, i) => {
        if (step[0] === 's') assert.equal(backlog.take(), step[1], `step ${i}`);
        else backlog.settle();
      });
      assert.equal(backlog.unacknowledged, c.left);
    });
  }

  for (const limit of [0, -3, 2.5]) {
    it(`refuses a limit of ${limit}`, () => assert.throws(() => new AlertBacklog(limit), RangeError));
  }
});
