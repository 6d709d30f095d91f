/**
 * Reconnect delays: exponential from baseMs, capped at capMs, forever, with "equal jitter"
 * (each delay is drawn from [d·(1-jitter), d]) so cameras that failed together do not retry in
 * lockstep. Pure apart from the injected random source.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  factor?: number;
  /** Fraction of the delay that is randomised, 0..1. */
  jitter?: number;
  random?: () => number;
}

export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 1000, capMs = 30_000, factor = 2, jitter = 0.5, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * Math.pow(factor, Math.max(0, attempt)));
  return Math.round(ceiling * (1 - jitter * random()));
}

export class Backoff {
  private attempt = 0;

  constructor(private readonly options: BackoffOptions = {}) {}

  /** The delay before the next try; each call moves one step up the curve. */
  next(): number {
    return backoffDelay(this.attempt++, this.options);
  }

  /** Back to the first step, after the camera stayed online long enough. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
