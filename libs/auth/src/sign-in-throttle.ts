/**
 * Slowing password guessing, per account and per address.
 *
 * Per account (counted in the database, so every api process sees it): the first 5 consecutive
 * failures cost nothing; after that each attempt must wait 1 s, 2 s, 4 s ... (at most 15 min)
 * after the last failure, or it is refused with 429 without the password being checked. A
 * success resets the count. The owner is slowed down, never locked out for good.
 *
 * Per address (in this process's memory): more than 30 failures within 15 minutes from one
 * address refuses further attempts from it until the window slides, whichever accounts it tries.
 */
export const FREE_FAILURES = 5;
export const MAX_ACCOUNT_DELAY_MS = 15 * 60_000;

export function accountDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(MAX_ACCOUNT_DELAY_MS, 1000 * 2 ** Math.min(failures - FREE_FAILURES, 30));
}

/** Milliseconds the account must still wait before a sign-in attempt is checked (0: go ahead). */
export function accountWaitMs(failures: number, lastFailedAt: Date | null, now: Date): number {
  if (!lastFailedAt) return 0;
  return Math.max(0, lastFailedAt.getTime() + accountDelayMs(failures) - now.getTime());
}

export interface AddressLimits {
  failures: number;
  windowMs: number;
  /** Addresses remembered at most (the oldest are forgotten first): bounded memory under a spray. */
  maxAddresses: number;
}

export const DEFAULT_ADDRESS_LIMITS: AddressLimits = { failures: 30, windowMs: 15 * 60_000, maxAddresses: 10_000 };

export class AddressFailures {
  private readonly seen = new Map<string, number[]>();

  constructor(private readonly limits: AddressLimits = DEFAULT_ADDRESS_LIMITS) {}

  record(address: string, now: Date): void {
    const times = this.recent(address, now);
    times.push(now.getTime());
    this.seen.delete(address); // re-insert: Map order is the eviction order
    this.seen.set(address, times.slice(-this.limits.failures - 1));
    while (this.seen.size > this.limits.maxAddresses) this.seen.delete(this.seen.keys().next().value!);
  }

  /** Milliseconds until this address may try again (0: go ahead). */
  waitMs(address: string, now: Date): number {
    const times = this.recent(address, now);
    if (times.length < this.limits.failures) return 0;
    return Math.max(0, times[times.length - this.limits.failures]! + this.limits.windowMs - now.getTime());
  }

  private recent(address: string, now: Date): number[] {
    const from = now.getTime() - this.limits.windowMs;
    return (this.seen.get(address) ?? []).filter((t) => t > from);
  }
}
