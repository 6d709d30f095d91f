import { InvalidInputError } from './errors';
import { bestAccuracyThreshold, metricsAt, type ScoredPair } from './verification-metrics';

/**
 * LFW's "unrestricted, labelled outside data" verification protocol: the pairs come in k folds
 * (10 in LFW's pairs.txt); for each fold the threshold is chosen on the other k−1 folds (best
 * accuracy) and accuracy is measured on the held-out fold, so no fold is scored with a threshold
 * tuned on itself. The figure reported is the mean fold accuracy ± its spread.
 */

export interface FoldedPair extends ScoredPair {
  /** 0-based fold index. */
  fold: number;
}

export interface FoldAccuracy {
  fold: number;
  /** Scored pairs in this fold. */
  pairs: number;
  /** Best-accuracy threshold on the other folds; null when they hold no pairs. */
  threshold: number | null;
  /** Accuracy of `threshold` on this fold; null when the fold or the other folds hold no pairs. */
  accuracy: number | null;
}

export interface CrossValidatedAccuracy {
  folds: FoldAccuracy[];
  /** Mean of the folds' accuracies (folds with a null accuracy left out); null when none has one. */
  mean: number | null;
  /** Sample standard deviation (n − 1) of those accuracies; null with fewer than two. */
  std: number | null;
  /** Standard error of the mean, std / √n, as LFW's results page reports it; null with fewer than two. */
  standardError: number | null;
}

export function crossValidatedAccuracy(pairs: readonly FoldedPair[], folds: number): CrossValidatedAccuracy {
  if (!Number.isInteger(folds) || folds < 2) throw new InvalidInputError('cross-validation needs an integer number of folds, at least 2');
  const byFold: ScoredPair[][] = Array.from({ length: folds }, () => []);
  pairs.forEach((p, i) => {
    if (!Number.isInteger(p.fold) || p.fold < 0 || p.fold >= folds) {
      throw new InvalidInputError(`pair ${i}: fold must be an integer from 0 to ${folds - 1}, got ${String(p.fold)}`);
    }
    byFold[p.fold].push({ distance: p.distance, same: p.same });
  });

  const results: FoldAccuracy[] = byFold.map((test, fold) => {
    const train = byFold.flatMap((f, k) => (k === fold ? [] : f));
    const best = bestAccuracyThreshold(train);
    const threshold = best ? best.threshold : null;
    const accuracy = threshold !== null && test.length > 0 ? metricsAt(test, threshold).accuracy : null;
    return { fold, pairs: test.length, threshold, accuracy };
  });

  const accuracies = results.flatMap((r) => (r.accuracy === null ? [] : [r.accuracy]));
  const n = accuracies.length;
  const mean = n ? accuracies.reduce((a, b) => a + b, 0) / n : null;
  const std = n >= 2 && mean !== null ? Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : null;
  return { folds: results, mean, std, standardError: std === null ? null : std / Math.sqrt(n) };
}
