import { InvalidInputError } from './errors';

/**
 * Verification metrics over (distance, sameLabel) pairs. Convention everywhere: a pair is
 * predicted "same person" when distance <= threshold.
 */

export interface ScoredPair {
  distance: number;
  same: boolean;
}

export interface ConfusionCounts {
  /** same person, predicted match */
  tp: number;
  /** different people, predicted match (false accept) */
  fp: number;
  /** different people, predicted non-match */
  tn: number;
  /** same person, predicted non-match (false reject) */
  fn: number;
}

export interface ThresholdMetrics {
  threshold: number;
  confusion: ConfusionCounts;
  accuracy: number | null;
  /** False accept rate: fp / negatives; null without negatives. */
  far: number | null;
  /** False reject rate: fn / positives; null without positives. */
  frr: number | null;
}

export const TAR_FAR_TARGETS = ['1e-2', '1e-3', '1e-4'] as const;
export type TarFarTarget = (typeof TAR_FAR_TARGETS)[number];

export interface VerificationMetrics extends ThresholdMetrics {
  pairs: number;
  positives: number;
  negatives: number;
  auc: number | null;
  bestThreshold: number | null;
  bestAccuracy: number | null;
  tarAtFar: Record<TarFarTarget, number | null>;
  /** The threshold giving each tarAtFar value (null where the TAR is null). */
  tarAtFarThreshold: Record<TarFarTarget, number | null>;
}

function validatePairs(pairs: readonly ScoredPair[]): void {
  pairs.forEach((p, i) => {
    if (!Number.isFinite(p.distance) || p.distance < 0) {
      throw new InvalidInputError(`pair ${i}: distance must be a finite, non-negative number`);
    }
  });
}

function split(pairs: readonly ScoredPair[]): { pos: number[]; neg: number[] } {
  const pos: number[] = [];
  const neg: number[] = [];
  for (const p of pairs) (p.same ? pos : neg).push(p.distance);
  return { pos, neg };
}

/**
 * Area under the ROC curve: probability that a random positive pair is closer than a random
 * negative pair, ties counting 0.5 (Mann–Whitney U with average ranks). Null when either class is empty.
 */
export function computeAuc(pairs: readonly ScoredPair[]): number | null {
  validatePairs(pairs);
  const { pos, neg } = split(pairs);
  if (pos.length === 0 || neg.length === 0) return null;
  // Sort by descending distance so that "higher rank = more similar"; average ranks over ties.
  const sorted = pairs.map((p) => ({ d: p.distance, same: p.same })).sort((a, b) => b.d - a.d);
  let rankSumPos = 0;
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1].d === sorted[i].d) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (sorted[k].same) rankSumPos += avgRank;
    i = j + 1;
  }
  const u = rankSumPos - (pos.length * (pos.length + 1)) / 2;
  return u / (pos.length * neg.length);
}

export function confusionAt(pairs: readonly ScoredPair[], threshold: number): ConfusionCounts {
  const c: ConfusionCounts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (const p of pairs) {
    const match = p.distance <= threshold;
    if (p.same && match) c.tp++;
    else if (p.same) c.fn++;
    else if (match) c.fp++;
    else c.tn++;
  }
  return c;
}

export function metricsAt(pairs: readonly ScoredPair[], threshold: number): ThresholdMetrics {
  if (!Number.isFinite(threshold)) throw new InvalidInputError('threshold must be a finite number');
  validatePairs(pairs);
  const confusion = confusionAt(pairs, threshold);
  const positives = confusion.tp + confusion.fn;
  const negatives = confusion.fp + confusion.tn;
  return {
    threshold,
    confusion,
    accuracy: pairs.length ? (confusion.tp + confusion.tn) / pairs.length : null,
    far: negatives ? confusion.fp / negatives : null,
    frr: positives ? confusion.fn / positives : null,
  };
}

/**
 * Threshold with the highest accuracy. Accuracy only changes at observed distances, so candidates
 * are "reject all" and each distinct distance; the returned threshold is the middle of the winning
 * interval [d_i, d_next) (half of the smallest distance for "reject all"), which generalises better
 * than sitting exactly on a sample. Ties go to the lowest threshold: fewer false accepts.
 */
export function bestAccuracyThreshold(
  pairs: readonly ScoredPair[],
): { threshold: number; accuracy: number } | null {
  validatePairs(pairs);
  if (pairs.length === 0) return null;
  const sorted = [...pairs].sort((a, b) => a.distance - b.distance);
  const negatives = sorted.filter((p) => !p.same).length;
  let correct = negatives; // reject all: every negative right, every positive wrong
  let best = { threshold: sorted[0].distance / 2, correct };
  let i = 0;
  while (i < sorted.length) {
    const d = sorted[i].distance;
    while (i < sorted.length && sorted[i].distance === d) {
      correct += sorted[i].same ? 1 : -1;
      i++;
    }
    if (correct > best.correct) {
      const next = i < sorted.length ? sorted[i].distance : d;
      best = { threshold: (d + next) / 2, correct };
    }
  }
  return { threshold: best.threshold, accuracy: best.correct / pairs.length };
}

/** An operating point read off the ROC at a target FAR: its TAR and a threshold that gives it. */
export interface TarFarPoint {
  tar: number;
  /** Distance threshold (match when distance <= threshold) that yields `tar` on these pairs. */
  threshold: number;
}

/**
 * True accept rate at a target false accept rate, with its threshold: the share of positives
 * accepted by the loosest threshold that accepts at most floor(far * negatives) negatives. Null
 * when negatives < 1/far, because such a FAR cannot be resolved from so few negatives, or when
 * there are no positives. The threshold is the middle of the interval that gives this TAR (from
 * the largest accepted distance up to the first negative that must be rejected; half that
 * negative's distance when nothing is accepted), as bestAccuracyThreshold does.
 */
export function tarAtFarPoint(pairs: readonly ScoredPair[], far: number): TarFarPoint | null {
  if (!(far > 0 && far <= 1)) throw new InvalidInputError('far must be in (0, 1]');
  validatePairs(pairs);
  const { pos, neg } = split(pairs);
  if (pos.length === 0 || neg.length === 0) return null;
  // Tolerate float noise such as 1/1e-3 = 999.9999999999999.
  if (neg.length < Math.round(1 / far)) return null;
  const allowed = Math.floor(far * neg.length + 1e-9);
  if (allowed >= neg.length) return { tar: 1, threshold: pos.concat(neg).reduce((a, b) => Math.max(a, b)) };
  neg.sort((a, b) => a - b);
  // The threshold must stay strictly below the (allowed+1)-th smallest negative distance.
  const limit = neg[allowed];
  // Largest distance accepted: negatives tied with `limit` are rejected along with it.
  let i = allowed - 1;
  while (i >= 0 && neg[i] >= limit) i--;
  let below = i >= 0 ? neg[i] : -Infinity;
  let accepted = 0;
  for (const d of pos) {
    if (d < limit) {
      accepted++;
      below = Math.max(below, d);
    }
  }
  return {
    tar: accepted / pos.length,
    threshold: below === -Infinity ? limit / 2 : (below + limit) / 2,
  };
}

/** TAR only; see tarAtFarPoint. */
export function tarAtFar(pairs: readonly ScoredPair[], far: number): number | null {
  return tarAtFarPoint(pairs, far)?.tar ?? null;
}

export function computeVerificationMetrics(pairs: readonly ScoredPair[], threshold: number): VerificationMetrics {
  const at = metricsAt(pairs, threshold);
  const best = bestAccuracyThreshold(pairs);
  const tar = {} as Record<TarFarTarget, number | null>;
  const tarThreshold = {} as Record<TarFarTarget, number | null>;
  for (const target of TAR_FAR_TARGETS) {
    const point = tarAtFarPoint(pairs, Number(target));
    tar[target] = point?.tar ?? null;
    tarThreshold[target] = point?.threshold ?? null;
  }
  return {
    pairs: pairs.length,
    positives: at.confusion.tp + at.confusion.fn,
    negatives: at.confusion.fp + at.confusion.tn,
    auc: computeAuc(pairs),
    ...at,
    bestThreshold: best ? best.threshold : null,
    bestAccuracy: best ? best.accuracy : null,
    tarAtFar: tar,
    tarAtFarThreshold: tarThreshold,
  };
}
