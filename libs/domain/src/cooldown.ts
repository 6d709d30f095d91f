import { InvalidInputError } from './errors';

export interface CooldownOptions {
  /**
   * Hard cap on remembered keys (default 10 000). Only reached when more distinct keys emit within
   * one window than that; the oldest are then forgotten, trading a possible repeat alert for
   * bounded memory.
   */
  maxKeys?: number;
}

/**
 * At most one emission per key per window (e.g. key = personId + cameraId: one watchlist alert per
 * person and camera per minute). Times are passed in, never read from a clock.
 *
 * Memory: a key is dropped once its window has passed. Emitting re-inserts the key, so the Map is
 * ordered by last emission and expired keys are found at its front; when times arrive slightly out of
 * order the sweep may stop early and leave a few expired keys for the next sweep, which is harmless.
 */
export class Cooldown {
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly lastEmit = new Map<string, number>();

  constructor(windowMs: number, options: CooldownOptions = {}) {
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs < 0) {
      throw new InvalidInputError(`cooldown window must be a non-negative number of ms, got ${String(windowMs)}`);
    }
    const maxKeys = options.maxKeys ?? 10_000;
    if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new InvalidInputError('maxKeys must be a positive integer');
    this.windowMs = windowMs;
    this.maxKeys = maxKeys;
  }

  /** Keys currently remembered (for metrics and tests). */
  get size(): number {
    return this.lastEmit.size;
  }

  /**
   * True (and the window restarts) when `key` has not emitted within the last windowMs before `at`.
   * A time earlier than the key's last emission (a late frame) is inside the window and suppressed.
   */
  shouldEmit(key: string, at: number): boolean {
    if (!Number.isFinite(at)) throw new InvalidInputError('cooldown time must be a finite number');
    this.evictExpired(at);
    const last = this.lastEmit.get(key);
    if (last !== undefined && at - last < this.windowMs) return false;
    this.lastEmit.delete(key);
    this.lastEmit.set(key, at);
    while (this.lastEmit.size > this.maxKeys) {
      const oldest = this.lastEmit.keys().next();
      if (oldest.done) break;
      this.lastEmit.delete(oldest.value);
    }
    return true;
  }

  /** Forgets a key (e.g. the operator acknowledged the alert and wants the next one immediately). */
  reset(key: string): void {
    this.lastEmit.delete(key);
  }

  private evictExpired(at: number): void {
    for (const [key, last] of this.lastEmit) {
      if (at - last < this.windowMs) break;
      this.lastEmit.delete(key);
    }
  }
}
