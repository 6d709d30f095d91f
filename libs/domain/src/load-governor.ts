import { InvalidInputError } from './errors';

export interface LoadRules {
  /** Scans slower than this (submit → result, median over the window) mean the machine is behind. */
  targetLatencyMs: number;
  /** Least time between two steps up; also the window the median is taken over. */
  windowMs: number;
  /** A step down needs this long without a queue drop and with the median under half the target. */
  relaxAfterMs: number;
  /** Per level: scan detector and the least time between two analyses of a camera with no face in sight. */
  levels: ReadonlyArray<{ fastScans: boolean; idleScanIntervalMs: number }>;
}

export const DEFAULT_LOAD_RULES: LoadRules = {
  targetLatencyMs: 700,
  windowMs: 2_000,
  relaxAfterMs: 10_000,
  levels: [
    { fastScans: false, idleScanIntervalMs: 0 },
    { fastScans: true, idleScanIntervalMs: 0 },
    { fastScans: true, idleScanIntervalMs: 1_000 },
    { fastScans: true, idleScanIntervalMs: 2_500 },
  ],
};

export interface LoadPolicy {
  level: number;
  /** Scan whole frames with the fast detector instead of the configured one. */
  fastScans: boolean;
  /** Least time between two analyses of a camera with no face in sight (0: as often as frames come). */
  idleScanIntervalMs: number;
}

/**
 * Measures what the machine can analyse and steps the scheduling down (and back up) to fit, so
 * that faces in view still gather their sightings on a slow or busy machine: first the fast
 * detector for whole-frame scans (following already uses it), then fewer scans of cameras where
 * nobody is in sight. The signal is what the pool delivers: the median time from submitting a
 * scan to its result, and jobs the full queue dropped. Steps are one level at a time, up at most
 * once per window, down only after a quiet relaxAfterMs, so the level does not thrash.
 */
export class LoadGovernor {
  private level = 0;
  private changedAt = -Infinity;
  private readonly latencies: Array<{ at: number; ms: number }> = [];
  private readonly drops: number[] = [];

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

  /** The pool's full queue dropped a job. */
  recordDrop(at: number): void {
    this.drops.push(at);
  }

  /** The policy in force at `at` (re-evaluated on each call). */
  policy(at: number): LoadPolicy {
    this.forget(at);
    // Only what happened since the last step counts: that is how the current level performs.
    const recent = this.latencies.filter((l) => at - l.at <= this.rules.windowMs && l.at > this.changedAt).map((l) => l.ms);
    const dropsRecent = this.drops.some((d) => at - d <= this.rules.windowMs && d > this.changedAt);
    const sinceChange = at - this.changedAt;
    const top = this.rules.levels.length - 1;
    if (this.level < top && sinceChange >= this.rules.windowMs && (dropsRecent || (recent.length > 0 && median(recent) > this.rules.targetLatencyMs))) {
      this.step(+1, at);
    } else if (this.level > 0 && sinceChange >= this.rules.relaxAfterMs) {
      const quiet = this.latencies.map((l) => l.ms);
      if (this.drops.length === 0 && (quiet.length === 0 || median(quiet) < this.rules.targetLatencyMs / 2)) this.step(-1, at);
    }
    const { fastScans, idleScanIntervalMs } = this.rules.levels[this.level]!;
    return { level: this.level, fastScans, idleScanIntervalMs };
  }

  private step(by: number, at: number): void {
    this.level += by;
    this.changedAt = at;
  }

  /** Keeps only what the longer of the two windows needs. */
  private forget(at: number): void {
    const keep = Math.max(this.rules.windowMs, this.rules.relaxAfterMs);
    while (this.latencies.length > 0 && at - this.latencies[0]!.at > keep) this.latencies.shift();
    while (this.drops.length > 0 && at - this.drops[0]! > keep) this.drops.shift();
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
