import { InvalidInputError } from './errors';

/**
 * Open-set identification (1:N), the watchlist's real question: a face comes by, is it one of the N
 * enrolled people? Two rates per threshold t:
 * - FPIR, the false positive identification rate: the share of strangers (not enrolled) whose
 *   nearest enrolled person is within t, i.e. who would raise an alert. It grows with N: every
 *   enrolled person is another chance to look alike;
 * - TPIR, the true positive identification rate: the share of enrolled people's faces whose nearest
 *   enrolled person is themselves and within t.
 * Inputs are already reduced to each probe's nearest person, so any reference aggregation
 * (nearest reference, centroid…) is decided by the caller.
 */
export interface StrangerProbe {
  /** Distance to the nearest enrolled person. */
  nearest: number;
}

export interface MatedProbe {
  /** Distance to the nearest enrolled person. */
  nearest: number;
  /** Whether that nearest person is the probe's own identity. */
  nearestIsSelf: boolean;
}

export interface OpenSetPoint {
  threshold: number;
  fpir: number;
  tpir: number | null;
}

function sortedNearest(strangers: readonly StrangerProbe[]): number[] {
  if (strangers.length === 0) throw new InvalidInputError('open-set rates need at least one stranger probe');
  return strangers.map((s) => {
    if (!(s.nearest >= 0) || !Number.isFinite(s.nearest)) throw new InvalidInputError('distances must be finite and non-negative');
    return s.nearest;
  }).sort((a, b) => a - b);
}

/** FPIR and TPIR at a threshold (match when distance <= threshold). */
export function openSetAt(strangers: readonly StrangerProbe[], mated: readonly MatedProbe[], threshold: number): OpenSetPoint {
  const fp = sortedNearest(strangers).filter((d) => d <= threshold).length;
  const hits = mated.filter((m) => m.nearestIsSelf && m.nearest <= threshold).length;
  return { threshold, fpir: fp / strangers.length, tpir: mated.length ? hits / mated.length : null };
}

/**
 * The loosest threshold at which at most `fpir` of the strangers would be alerted: half-way between
 * the last stranger allowed through and the next one (below the nearest stranger when none may
 * pass). Null when there are too few strangers to resolve the rate (fewer than 1/fpir).
 */
export function thresholdForFpir(strangers: readonly StrangerProbe[], fpir: number): number | null {
  if (!(fpir > 0 && fpir <= 1)) throw new InvalidInputError('fpir must be in (0, 1]');
  const d = sortedNearest(strangers);
  if (d.length < 1 / fpir - 1e-9) return null;
  const allowed = Math.floor(fpir * d.length + 1e-9);
  if (allowed >= d.length) return d[d.length - 1];
  const below = allowed > 0 ? d[allowed - 1] : 0;
  return (below + d[allowed]) / 2;
}

/**
 * FPIR expected for a gallery of `n` people from the 1:1 false accept rate at the same threshold,
 * treating the n comparisons as independent: 1 - (1 - far)^n. Real look-alikes are not independent,
 * so measured FPIR is the figure to trust; this extrapolates it to gallery sizes not measured.
 */
export function fpirFromFar(far: number, n: number): number {
  if (!(far >= 0 && far <= 1)) throw new InvalidInputError('far must be in [0, 1]');
  if (!Number.isInteger(n) || n < 1) throw new InvalidInputError('gallery size must be a positive integer');
  return 1 - Math.pow(1 - far, n);
}
