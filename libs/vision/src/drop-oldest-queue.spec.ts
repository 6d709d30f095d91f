import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DropOldestQueue } from './drop-oldest-queue';

describe('DropOldestQueue', () => {
  it('evicts the oldest item when full and keeps FIFO order', () => {
    const q = new DropOldestQueue<number>(2);
    assert.equal(q.push(1), undefined);
    assert.equal(q.push(2), undefined);
    assert.equal(q.push(3), 1);
    assert.equal(q.push(4), 2);
    assert.equal(q.length, 2);
    assert.equal(q.shift(), 3);
    assert.equal(q.shift(), 4);
    assert.equal(q.shift(), undefined);
  });
  it('stays correct across internal compaction', () => {
    const q = new DropOldestQueue<number>(10);
    const out: number[] = [];
    for (let i = 0; i < 500; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift() as number);
    }
    out.push(...q.drain());
    const dropped = 500 - out.length;
    assert.ok(dropped > 0);
    assert.deepEqual(out, [...out].sort((a, b) => a - b));
    assert.equal(q.length, 0);
  });
  it('rejects a non-positive capacity', () => assert.throws(() => new DropOldestQueue(0), RangeError));
});
