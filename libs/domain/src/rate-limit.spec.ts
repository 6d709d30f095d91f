import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError } from './errors';
import { RateLimiter, type RateLimit } from './rate-limit';

/** `ok` = allowed, a number = refused with that Retry-After in ms. */
type Outcome = 'ok' | number;

describe('RateLimiter (token bucket per key)', () => {
  const cases: Array<{ name: string; limit: RateLimit; calls: Array<[string, number]>; expected: Outcome[] }> = [
    { name: 'a full bucket allows `burst` at once, then refuses until one request has refilled', limit: { perMinute: 60, burst: 3 }, calls: [['k', 0], ['k', 0], ['k', 0], ['k', 0]], expected: ['ok', 'ok', 'ok', 1000] },
    { name: 'the refusal says how long until the next request is allowed', limit: { perMinute: 60, burst: 1 }, calls: [['k', 0], ['k', 250]], expected: ['ok', 750] },
    { name: 'a request exactly when a token has refilled passes', limit: { perMinute: 60, burst: 1 }, calls: [['k', 0], ['k', 1000], ['k', 1999], ['k', 2000]], expected: ['ok', 'ok', 1, 'ok'] },
    { name: 'refused requests cost nothing (a client hammering does not push its wait further)', limit: { perMinute: 60, burst: 1 }, calls: [['k', 0], ['k', 100], ['k', 200], ['k', 300], ['k', 1000]], expected: ['ok', 900, 800, 700, 'ok'] },
    { name: 'the sustained rate after the burst is perMinute', limit: { perMinute: 120, burst: 2 }, calls: [['k', 0], ['k', 0], ['k', 500], ['k', 500], ['k', 1000]], expected: ['ok', 'ok', 'ok', 500, 'ok'] },
    { name: 'an idle key refills only up to burst', limit: { perMinute: 60, burst: 2 }, calls: [['k', 0], ['k', 60_000], ['k', 60_000], ['k', 60_000]], expected: ['ok', 'ok', 'ok', 1000] },
    { name: 'keys are independent', limit: { perMinute: 60, burst: 1 }, calls: [['kiosk-a', 0], ['kiosk-b', 0], ['kiosk-a', 10]], expected: ['ok', 'ok', 990] },
    { name: 'a late (earlier) time counts as now for the bucket', limit: { perMinute: 60, burst: 1 }, calls: [['k', 5000], ['k', 4000]], expected: ['ok', 2000] },
    { name: 'a rate that does not divide a minute evenly still allows exactly on time', limit: { perMinute: 7, burst: 1 }, calls: [['k', 0], ['k', 60_000 / 7], ['k', 60_000 / 7 + 1]], expected: ['ok', 'ok', 8571] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const limiter = new RateLimiter(c.limit);
      const outcomes = c.calls.map(([key, at]): Outcome => {
        const d = limiter.take(key, at);
        return d.allowed ? 'ok' : d.retryAfterMs;
      });
      assert.deepEqual(outcomes, c.expected);
    });
  }

  it('forgets buckets that are full again', () => {
    const limiter = new RateLimiter({ perMinute: 60, burst: 2 });
    for (let i = 0; i < 10; i++) limiter.take(`k${i}`, 0);
    assert.equal(limiter.size, 10);
    limiter.take('late', 2000); // each bucket was full again at 1000
    assert.equal(limiter.size, 1);
  });

  it('caps memory at maxKeys, forgetting the oldest (it gets a full bucket)', () => {
    const limiter = new RateLimiter({ perMinute: 1, burst: 1 }, { maxKeys: 2 });
    for (const k of ['a', 'b', 'c']) assert.equal(limiter.take(k, 0).allowed, true);
    assert.equal(limiter.size, 2);
    assert.equal(limiter.take('a', 1).allowed, true, 'a was forgotten');
    assert.equal(limiter.take('c', 1).allowed, false);
  });

  it('rejects bad limits and times', () => {
    const bad: unknown[] = [{ perMinute: 0, burst: 1 }, { perMinute: 60, burst: 0 }, { perMinute: 1.5, burst: 1 }, { perMinute: 6001, burst: 1 }, { perMinute: 60, burst: 1001 }, null];
    for (const limit of bad) assert.throws(() => new RateLimiter(limit as RateLimit), InvalidInputError, JSON.stringify(limit));
    assert.throws(() => new RateLimiter({ perMinute: 60, burst: 1 }, { maxKeys: 0 }), InvalidInputError);
    assert.throws(() => new RateLimiter({ perMinute: 60, burst: 1 }).take('k', Number.NaN), InvalidInputError);
  });
});
