import { MATCH_THRESHOLD_BOUNDS } from './descriptor';
import { InvalidInputError } from './errors';

/**
 * Match-threshold calibration to a false-accept-rate target from reviewed distances.
 *
 * Inputs are distances (match when distance <= threshold): genuine = a reviewed face against the
 * person it really is, impostor = a reviewed face against the nearest person it is *not* (one per
 * face and list, so the rate is per decision, like the FAR the KPI is stated in).
 *
 * With enough impostors to resolve the target (at least 1/maxFar of them) the threshold is the
 * loosest one that accepts at most floor(maxFar × impostors) of them: it lands on the target.
 * With fewer, an observed rate of 0 proves nothing about 1e-4, so the calibration is conservative
 * and says so: it never loosens the current threshold, and tightens it below the nearest impostor
 * when one was accepted. Either way the threshold sits half-way between the last accepted sample
 * and the first rejected impostor (the widest margin the data allows), within MATCH_THRESHOLD_BOUNDS.
 */

export interface CalibrationInput {
  genuine: readonly number[];
  impostor: readonly number[];
  /** The FAR target, e.g. 0.0001. */
  maxFar: number;
  /** The threshold in force now: the conservative mode never goes above it. */
  current: number;
}

export type CalibrationBasis =
  /** Enough impostors: the threshold meets the target on the data. */
  | 'target'
  /** Too few impostors to resolve the target: kept at or below the current threshold. */
  | 'insufficient_impostors';

export interface CalibrationResult {
  threshold: number;
  basis: CalibrationBasis;
  genuine: number;
  impostors: number;
  /** Impostors needed to resolve the target: ceil(1 / maxFar). */
  impostorsNeeded: number;
  /** Observed rates at the chosen threshold (null without samples of that kind). */
  far: number | null;
  frr: number | null;
  /** True when the threshold had to be clamped into MATCH_THRESHOLD_BOUNDS. */
  clamped: boolean;
  /** A sentence for the version record: what was done and why. */
  note: string;
}

function validate(input: CalibrationInput): void {
  if (!(input.maxFar > 0 && input.maxFar < 1)) throw new InvalidInputError('maxFar must be between 0 and 1 (exclusive)');
  if (!Number.isFinite(input.current)) throw new InvalidInputError('current threshold must be a finite number');
  for (const d of [...input.genuine, ...input.impostor]) {
    if (typeof d !== 'number' || !Number.isFinite(d) || d < 0) throw new InvalidInputError('distances must be finite, non-negative numbers');
  }
}

/** Midpoint between the largest sample below `limit` and `limit` (half of `limit` when none is below). */
function midpointBelow(limit: number, samples: readonly number[]): number {
  let below = -Infinity;
  for (const d of samples) if (d < limit && d > below) below = d;
  return below === -Infinity ? limit / 2 : (below + limit) / 2;
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

export function calibrateThreshold(input: CalibrationInput): CalibrationResult {
  validate(input);
  const impostor = [...input.impostor].sort((a, b) => a - b);
  const all = [...input.genuine, ...impostor];
  // Tolerate float noise such as 1 / 1e-3 = 999.9999999999999.
  const needed = Math.ceil(1 / input.maxFar - 1e-9);
  let raw: number;
  let basis: CalibrationBasis;
  let why: string;
  if (impostor.length >= needed) {
    basis = 'target';
    const allowed = Math.floor(input.maxFar * impostor.length + 1e-9);
    if (allowed >= impostor.length) {
      raw = MATCH_THRESHOLD_BOUNDS.max;
    } else {
      // Must stay strictly below the (allowed+1)-th smallest impostor distance.
      raw = midpointBelow(impostor[allowed], all);
    }
    why = `${impostor.length} impostor pairs resolve FAR ${input.maxFar}; at most ${allowed} accepted`;
  } else {
    basis = 'insufficient_impostors';
    const nearest = impostor[0];
    raw = nearest !== undefined && nearest <= input.current ? midpointBelow(nearest, all) : input.current;
    raw = Math.min(raw, input.current);
    why =
      `only ${impostor.length} impostor pairs; FAR ${input.maxFar} needs at least ${needed} to be measured, so the threshold ` +
      (raw < input.current ? 'was tightened below the nearest impostor' : 'was kept') +
      ' and never loosened (conservative)';
  }
  const threshold = round(Math.min(MATCH_THRESHOLD_BOUNDS.max, Math.max(MATCH_THRESHOLD_BOUNDS.min, raw)));
  const clamped = threshold !== round(raw);
  const accepted = impostor.filter((d) => d <= threshold).length;
  const rejected = input.genuine.filter((d) => d > threshold).length;
  return {
    threshold,
    basis,
    genuine: input.genuine.length,
    impostors: impostor.length,
    impostorsNeeded: needed,
    far: impostor.length ? accepted / impostor.length : null,
    frr: input.genuine.length ? rejected / input.genuine.length : null,
    clamped,
    note: `${why}${clamped ? `; clamped to ${threshold} (allowed ${MATCH_THRESHOLD_BOUNDS.min}–${MATCH_THRESHOLD_BOUNDS.max})` : ''}.`,
  };
}
