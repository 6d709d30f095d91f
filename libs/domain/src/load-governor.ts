import { InvalidInputError } from './errors';

export interface LoadRules {
  /** Scans slower than this (submit → result, median over the window) mean the machine is behind. */
  targetLatencyMs: number;
  /** Least time between two steps up; also the window the median is taken over. */
  windowMs: number;
  /** A step down needs this long with the median under half the target. */
  relaxAfterMs: number;
  /** Per level: how whole frames are scanned, and how often a still picture with nobody in sight is looked at. */
  levels: ReadonlyArray<Omit<LoadPolicy, 'level'>>;
}

export interface LoadPolicy {
  level: number;
  /** Scan whole frames with the fast detector (Tiny) instead of the configured one. */
  fastScans: boolean;
  /** Tiny's input size for those scans (smaller is faster and misses more small faces). */
  fastScanInput: number;
  /**
   * Least time between two analyses of a camera with nobody in sight whose picture did not change
   * (the motion gate's periodic look); 0: as the gate passes them. Frames with motion are never
   * held back: that is where a face walks in.
   */
  stillScanIntervalMs: number;
}

/**
 * Level 1 is the fast detector for scans (Tiny 416: about half SSD's time); level 2 also looks at
 * still, empty pictures half as often; level 3 scans with Tiny at 320 (about 2/3 of Tiny 416's time).
 */
export const DEFAULT_LOAD_RULES: LoadRules = {
  targetLatencyMs: 1_000,
  windowMs: 2_000,
  relaxAfterMs: 10_000,
  levels: [
    { fastScans: false, fastScanInput: 416, stillScanIntervalMs: 0 },
    { fastScans: true, fastScanInput: 416, stillScanIntervalMs: 0 },
    { fastScans: true, fastScanInput: 416, stillScanIntervalMs: 4_000 },
    { fastScans: true, fastScanInput: 320, stillScanIntervalMs: 4_000 },
  ],
};

/** A step up needs at least this many scans to judge by (one slow scan at start-up is no trend). */
const MIN_SCANS = 3;

/**
 * Measures what the machine can analyse and steps the scheduling down (and back up) to fit, so
 * that faces in view still gather their sightings on a slow or busy machine: first the fast
 * detector for whole-frame scans (following already uses it), then fewer looks at still pictures
 * where nobody is in sight, then a smaller scan input. The signal is what the pool delivers: the
 * median time from submitting a scan to its result. (Frames the pool's full queue drops are not a
 * signal: with more cameras than queue slots, dropping the oldest scan is how the pool keeps
 * frames fresh even when every scan is quick.) Steps are one level at a time, up at most once per
 * window and judged only on scans made since the last step, down only after a calm relaxAfterMs.
 */
export class LoadGovernor {
  private level = 0;
  private changedAt = -Infinity;
  private readonly latencies: Array<{ at: number; ms: number }> = [];

  constructor(private readonly rules: LoadRules = DEFAULT_LOAD_RULES) {
    if (rules.levels.length === 0) throw new InvalidInputError('load rules need at least one level');
    for (const [name, v] of [['targetLatencyMs', rules.targetLatencyMs], ['windowMs', rules.windowMs], ['relaxAfterMs', rules.relaxAfterMs]] as const) {
      if (!Number.isFinite(v) || v <= 0) throw new InvalidInputError(`${name} must be a positive number, got ${String(v)}`);
    }
  }

  /** A scan finished: submitted → result took `ms`. */
  recordScan(at: number, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidInputError('scan latency must be a non-negative number');
    this.latencies.push({ at, ms });
  }

  /** The policy in force at `at` (re-evaluated on each call). */
  policy(at: number): LoadPolicy {
    this.forget(at);
    const sinceChange = at - this.changedAt;
    const top = this.rules.levels.length - 1;
    const recent = this.latencies.filter((l) => at - l.at <= this.rules.windowMs && l.at > this.changedAt).map((l) => l.ms);
    if (this.level < top && sinceChange >= this.rules.windowMs && recent.length >= MIN_SCANS && median(recent) > this.rules.targetLatencyMs) {
      this.step(+1, at);
    } else if (this.level > 0 && sinceChange >= this.rules.relaxAfterMs) {
      const calm = this.latencies.filter((l) => at - l.at <= this.rules.relaxAfterMs).map((l) => l.ms);
      if (calm.length === 0 || median(calm) < this.rules.targetLatencyMs / 2) this.step(-1, at);
    }
    return { level: this.level, ...this.rules.levels[this.level]! };
  }

  private step(by: number, at: number): void {
    this.level += by;
    this.changedAt = at;
  }

  private forget(at: number): void {
    const keep = Math.max(this.rules.windowMs, this.rules.relaxAfterMs);
    while (this.latencies.length > 0 && at - this.latencies[0]!.at > keep) this.latencies.shift();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
