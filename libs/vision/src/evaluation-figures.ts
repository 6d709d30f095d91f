import * as path from 'node:path';
import {
  computeVerificationMetrics,
  crossValidatedAccuracy,
  euclideanDistance,
  metricsAt,
  PERSON_LISTS,
  type CrossValidatedAccuracy,
  type FoldedPair,
  type PersonList,
  type ThresholdMetrics,
  type VerificationMetrics,
} from '@vigil/domain';
import type { PairRow } from './pairs-csv';

export interface NoFacePair {
  line: number;
  imageA: string;
  imageB: string;
  /** Which of the two images had no detectable face. */
  missing: string[];
}

/** One scored pair, for re-analysis and plots. */
export interface PairScore {
  line: number;
  /** 0-based fold (LFW's pairs.txt); null for a CSV. */
  fold: number | null;
  imageA: string;
  imageB: string;
  same: boolean;
  distance: number;
}

/** Everything measured on one set of embeddings (the clean images, or their degraded copies). */
export interface EvaluationFigures extends VerificationMetrics {
  /** Accuracy/FAR/FRR at the product's threshold for each person list (DEFAULT_MATCH_POLICY). */
  listThresholds: Record<PersonList, ThresholdMetrics>;
  /** k-fold accuracy (threshold chosen on the other folds) when the file has 2+ folds, else null. */
  crossValidation: CrossValidatedAccuracy | null;
  /** Pairs excluded from the metrics because an image had no face. */
  noFace: NoFacePair[];
  /** The scored pairs (no-face pairs excluded), in file order. */
  scores: PairScore[];
}

export interface FiguresInput {
  rows: readonly PairRow[];
  /** The descriptor of a row's image (by its path as written in the file), null when it has no face. */
  descriptor(relative: string): Float32Array | null;
  threshold: number;
  listThresholds: Readonly<Record<PersonList, number>>;
  /** Folds the file defines, or null. */
  folds: number | null;
}

/** Scores every pair whose two images have a face and summarises them with @vigil/domain's metrics. */
export function computeEvaluationFigures(input: FiguresInput): EvaluationFigures {
  const scores: PairScore[] = [];
  const noFace: NoFacePair[] = [];
  for (const row of input.rows) {
    const da = input.descriptor(row.imageA);
    const db = input.descriptor(row.imageB);
    if (!da || !db) {
      noFace.push({
        line: row.line,
        imageA: row.imageA,
        imageB: row.imageB,
        missing: [...(!da ? [row.imageA] : []), ...(!db && path.normalize(row.imageB) !== path.normalize(row.imageA) ? [row.imageB] : [])],
      });
      continue;
    }
    scores.push({ line: row.line, fold: row.fold ?? null, imageA: row.imageA, imageB: row.imageB, same: row.same, distance: euclideanDistance(da, db) });
  }

  const m = computeVerificationMetrics(scores, input.threshold);
  const listThresholds = {} as Record<PersonList, ThresholdMetrics>;
  for (const list of PERSON_LISTS) listThresholds[list] = metricsAt(scores, input.listThresholds[list]);
  const crossValidation =
    input.folds !== null && input.folds >= 2
      ? crossValidatedAccuracy(scores.map((s): FoldedPair => ({ fold: s.fold as number, distance: s.distance, same: s.same })), input.folds)
      : null;
  return { ...m, listThresholds, crossValidation, noFace, scores };
}
