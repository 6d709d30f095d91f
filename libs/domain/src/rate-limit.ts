import { InvalidInputError } from './errors';

export interface RateLimit {
  /** Sustained requests per minute (the bucket refills at this rate). */
  perMinute: number;
  /** Requests allowed at once from a full bucket (its size). */
  burst: number;
}

export type RateDecision =
  | { allowed: true }
  /** Refused; one more request would be allowed after this many ms. */
  | { allowed: false; retryAfterMs: number };

export interface RateLimiterOptions {
  /**
   * Hard cap on remembered keys (default 10 000). A key whose bucket is full again needs no
   * memory; the cap only bites when more keys than this are in debt at once (the oldest are then
   * forgotten, i.e. given a full bucket).
   */
  maxKeys?: number;
}

export const RATE_LIMIT_BOUNDS = { perMinute: { min: 1, max: 6000 }, burst: { min: 1, max: 1000 } } as const;

/** Throws InvalidInputError unless both numbers are integers within RATE_LIMIT_BOUNDS. */
export function validateRateLimit(limit: RateLimit): RateLimit {
  for (const name of ['perMinute', 'burst'] as const) {
    const v = limit?.[name];
    const { min, max } = RATE_LIMIT_BOUNDS[name];
    if (!Number.isInteger(v) || v < min || v > max) throw new InvalidInputError(`rate limit ${name} must be an integer between ${min} and ${max}, got ${String(v)}`);
  }
  return limit;
}

/**
 * A token bucket per key (e.g. one per kiosk token): `burst` requests at once, then `perMinute`
 * per minute. Kept as the generic cell rate algorithm: per key only the time at which the bucket
 * would be full again (`full`), no timers. A request at `now` is allowed when, after it, the bucket
 * would be full again no later than `now + burst × interval`. Times are passed in, never read from a clock.
 */
export class RateLimiter {
  /** Milliseconds for one request's worth of refill. */
  readonly intervalMs: number;
  private readonly capacityMs: number;
  private readonly maxKeys: number;
  /** Per key: when its bucket is full again. Ordered by last allowed request (oldest first). */
  private readonly fullAt = new Map<string, number>();

  constructor(limit: RateLimit, options: RateLimiterOptions = {}) {
    validateRateLimit(limit);
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new InvalidInputError('maxKeys must be a positive integer');
    this.intervalMs = 60_000 / limit.perMinute;
    this.capacityMs = limit.burst * this.intervalMs;
    this.maxKeys = maxKeys;
  }

  /** Keys currently remembered (buckets not yet full again). */
  get size(): number {
    return this.fullAt.size;
  }

  /** Takes one request from the key's bucket if it has one. */
  take(key: string, now: number): RateDecision {
    if (!Number.isFinite(now)) throw new InvalidInputError('rate limit time must be a finite number');
    this.forgetFull(now);
    const start = Math.max(this.fullAt.get(key) ?? now, now);
    const next = start + this.intervalMs;
    // Tiny epsilon: 60 000 / perMinute is not exact for every rate, and a request exactly on time passes.
    const debt = next - now - this.capacityMs;
    if (debt > 1e-6) return { allowed: false, retryAfterMs: Math.ceil(debt - 1e-6) };
    this.fullAt.delete(key);
    this.fullAt.set(key, next);
    while (this.fullAt.size > this.maxKeys) {
      const oldest = this.fullAt.keys().next();
      if (oldest.done) break;
      this.fullAt.delete(oldest.value);
    }
    return { allowed: true };
  }

  /** Buckets full again hold no state; the Map is ordered by last use, so they are found at its front. */
  private forgetFull(now: number): void {
    for (const [key, full] of this.fullAt) {
      if (full > now) break;
      this.fullAt.delete(key);
    }
  }
}
