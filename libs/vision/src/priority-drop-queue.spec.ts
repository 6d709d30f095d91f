import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PriorityDropQueue, QueueLane } from './priority-drop-queue';

type Step = ['push', string, QueueLane, string | undefined] | ['shift', string | undefined];

/** Each case: capacity, burst, and steps with what each must return. Items are named by lane: u* urgent, n* normal. */
const CASES: Array<{ name: string; capacity: number; burst?: number; steps: Step[] }> = [
  {
    name: 'one lane only: a plain drop-oldest FIFO',
    capacity: 2,
    steps: [['push', 'n1', 'normal', undefined], ['push', 'n2', 'normal', undefined], ['push', 'n3', 'normal', 'n1'], ['shift', 'n2'], ['shift', 'n3'], ['shift', undefined]],
  },
  {
    name: 'urgent items are served before older normal ones',
    capacity: 4,
    steps: [['push', 'n1', 'normal', undefined], ['push', 'u1', 'urgent', undefined], ['push', 'n2', 'normal', undefined], ['push', 'u2', 'urgent', undefined], ['shift', 'u1'], ['shift', 'u2'], ['shift', 'n1'], ['shift', 'n2']],
  },
  {
    name: 'full: the oldest normal item makes room, even for a normal arrival',
    capacity: 2,
    steps: [['push', 'u1', 'urgent', undefined], ['push', 'n1', 'normal', undefined], ['push', 'u2', 'urgent', 'n1'], ['shift', 'u1'], ['shift', 'u2']],
  },
  {
    name: 'full of urgent items: an urgent arrival evicts the oldest urgent one',
    capacity: 2,
    steps: [['push', 'u1', 'urgent', undefined], ['push', 'u2', 'urgent', undefined], ['push', 'u3', 'urgent', 'u1'], ['shift', 'u2'], ['shift', 'u3']],
  },
  {
    name: 'full of urgent items: a normal arrival is refused',
    capacity: 2,
    steps: [['push', 'u1', 'urgent', undefined], ['push', 'u2', 'urgent', undefined], ['push', 'n1', 'normal', 'n1'], ['shift', 'u1'], ['shift', 'u2'], ['shift', undefined]],
  },
  {
    name: 'a waiting normal item is served after `burst` urgent ones in a row',
    capacity: 8,
    burst: 2,
    steps: [
      ['push', 'n1', 'normal', undefined], ['push', 'u1', 'urgent', undefined], ['push', 'u2', 'urgent', undefined], ['push', 'u3', 'urgent', undefined], ['push', 'n2', 'normal', undefined],
      ['shift', 'u1'], ['shift', 'u2'], ['shift', 'n1'], ['shift', 'u3'], ['shift', 'n2'], ['shift', undefined],
    ],
  },
  {
    name: 'urgent items taken while no normal one waits do not count towards the burst',
    capacity: 8,
    burst: 1,
    steps: [['push', 'u1', 'urgent', undefined], ['push', 'u2', 'urgent', undefined], ['shift', 'u1'], ['push', 'n1', 'normal', undefined], ['shift', 'u2'], ['push', 'u3', 'urgent', undefined], ['shift', 'n1'], ['shift', 'u3']],
  },
];

describe('PriorityDropQueue', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const q = new PriorityDropQueue<string>(c.capacity, { urgentBurst: c.burst });
      c.steps.forEach((step, i) => {
        if (step[0] === 'push') assert.equal(q.push(step[1], step[2]), step[3], `step ${i}: push ${step[1]}`);
        else assert.equal(q.shift(), step[1], `step ${i}: shift`);
        assert.ok(q.length <= c.capacity, `step ${i}: within capacity`);
      });
    });
  }

  it('drain returns urgent then normal, oldest first, and empties the queue', () => {
    const q = new PriorityDropQueue<string>(4);
    q.push('n1');
    q.push('u1', 'urgent');
    q.push('n2');
    assert.deepEqual(q.drain(), ['u1', 'n1', 'n2']);
    assert.equal(q.length, 0);
    assert.equal(q.shift(), undefined);
  });

  it('rejects a non-positive capacity or burst', () => {
    assert.throws(() => new PriorityDropQueue(0), RangeError);
    assert.throws(() => new PriorityDropQueue(2, { urgentBurst: 0 }), RangeError);
  });
});
