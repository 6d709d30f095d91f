import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accountDelayMs, accountWaitMs, AddressFailures, MAX_ACCOUNT_DELAY_MS } from './sign-in-throttle';

describe('account sign-in delay', () => {
  const table: Array<[failures: number, delayMs: number]> = [
    [0, 0],
    [4, 0],
    [5, 1000],
    [6, 2000],
    [9, 16_000],
    [15, MAX_ACCOUNT_DELAY_MS],
    [10_000, MAX_ACCOUNT_DELAY_MS],
  ];
  for (const [failures, delay] of table) it(`${failures} failures → wait ${delay} ms`, () => assert.equal(accountDelayMs(failures), delay));

  it('counts the wait from the last failure', () => {
    const last = new Date('2026-12-02T10:00:00Z');
    assert.equal(accountWaitMs(6, last, new Date('2026-12-02T10:00:00.500Z')), 1500);
    assert.equal(accountWaitMs(6, last, new Date('2026-12-02T10:00:02Z')), 0);
    assert.equal(accountWaitMs(6, null, last), 0);
  });
});

describe('AddressFailures', () => {
  const t = (s: number) => new Date(Date.UTC(2026, 11, 2) + s * 1000);
  it('refuses an address past its failures within the window, until the window slides', () => {
    const f = new AddressFailures({ failures: 3, windowMs: 60_000, maxAddresses: 10 });
    f.record('a', t(0));
    f.record('a', t(10));
    assert.equal(f.waitMs('a', t(11)), 0);
    f.record('a', t(20));
    assert.equal(f.waitMs('a', t(21)), 39_000);
    assert.equal(f.waitMs('b', t(21)), 0, 'other addresses are not affected');
    assert.equal(f.waitMs('a', t(60)), 0, 'the first failure has left the window');
  });
  it('remembers a bounded number of addresses, forgetting the oldest', () => {
    const f = new AddressFailures({ failures: 1, windowMs: 60_000, maxAddresses: 2 });
    f.record('a', t(0));
    f.record('b', t(1));
    f.record('c', t(2));
    assert.deepEqual(['a', 'b', 'c'].map((x) => f.waitMs(x, t(3)) > 0), [false, true, true]);
  });
});
