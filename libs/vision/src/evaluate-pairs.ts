import * as fs from 'node:fs/promises';
import { DEFAULT_MATCH_POLICY, InvalidInputError, PERSON_LISTS, validateMatchThreshold, type PersonList } from '@vigil/domain';
import { DEFAULT_DEGRADATION } from './degrade';
import { embedPairImages, type ImageEmbedding, type ImageFaceDetector, type PairImage } from './embed-pair-images';
import { computeEvaluationFigures, type EvaluationFigures } from './evaluation-figures';
import type { DetectOptions } from './face-engine';
import { resolveInside } from './pairs-csv';
import { readPairsFile, type PairsFormat } from './pairs-file';

export interface EvaluatePairsOptions {
  /** A pairs CSV, or LFW's pairs.txt (told apart by the first line; see readPairsFile). */
  pairsPath: string;
  imagesDir: string;
  /** Match threshold (distance <= threshold is a match). Default: the employee list's threshold. */
  threshold?: number;
  /** The product's threshold per person list, also reported. Default DEFAULT_MATCH_POLICY.thresholds. */
  listThresholds?: Readonly<Record<PersonList, number>>;
  engine: ImageFaceDetector;
  detectOptions?: DetectOptions;
  /** Images embedded at once; raise it to the pool's worker count when engine is a pool. Default 1. */
  concurrency?: number;
  /** Also evaluate a degraded copy of every image (degradeImage, in memory). Default false. */
  degrade?: boolean;
  /** Called after each image is embedded: done so far, total (the CLI's progress bar). */
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluationResult extends EvaluationFigures {
  format: PairsFormat;
  /** Folds the pairs file defines (LFW), or null (CSV). */
  folds: number | null;
  /** Where `threshold` came from: the caller, or the employee list's threshold. */
  thresholdSource: 'given' | 'employee';
  /** The same figures on the degraded copies; null unless `degrade` was asked for. */
  degraded: (EvaluationFigures & { degradation: typeof DEFAULT_DEGRADATION }) | null;
}

async function realImagesDir(dir: string): Promise<string> {
  try {
    const real = await fs.realpath(dir);
    if ((await fs.stat(real)).isDirectory()) return real;
  } catch {
    // reported below
  }
  throw new InvalidInputError(`images directory not found: ${dir}`);
}

/**
 * Verification evaluation over a pairs file: each distinct image is embedded once (its largest
 * face), pairs are scored by euclidean distance and summarised with @vigil/domain's metrics; a
 * file with folds (LFW) also gets the k-fold protocol. With `degrade`, the same on degraded copies.
 */
export async function evaluatePairs(options: EvaluatePairsOptions): Promise<EvaluationResult> {
  const listThresholds = options.listThresholds ?? DEFAULT_MATCH_POLICY.thresholds;
  for (const list of PERSON_LISTS) validateMatchThreshold(listThresholds[list]);
  const threshold = validateMatchThreshold(options.threshold ?? listThresholds.employee);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidInputError('concurrency must be a positive integer');
  const imagesDir = await realImagesDir(options.imagesDir);
  const file = await readPairsFile(options.pairsPath);

  // Resolve every path before any inference so that a bad row fails fast.
  const resolved = new Map<string, string>();
  const images = new Map<string, PairImage>();
  for (const row of file.rows) {
    for (const relative of [row.imageA, row.imageB]) {
      if (resolved.has(relative)) continue;
      const real = await resolveInside(imagesDir, relative, row.line, file.label);
      resolved.set(relative, real);
      if (!images.has(real)) images.set(real, { file: real, relative, line: row.line });
    }
  }

  const embeddings = await embedPairImages([...images.values()], {
    engine: options.engine,
    detectOptions: options.detectOptions,
    concurrency,
    degrade: options.degrade ?? false,
    label: file.label,
    onProgress: options.onProgress,
  });
  const figures = (pick: (e: ImageEmbedding) => Float32Array | null | undefined): EvaluationFigures =>
    computeEvaluationFigures({
      rows: file.rows,
      descriptor: (relative) => pick(embeddings.get(resolved.get(relative) as string) as ImageEmbedding) ?? null,
      threshold,
      listThresholds,
      folds: file.folds,
    });

  return {
    format: file.format,
    folds: file.folds,
    thresholdSource: options.threshold === undefined ? 'employee' : 'given',
    ...figures((e) => e.clean),
    degraded: options.degrade ? { degradation: DEFAULT_DEGRADATION, ...figures((e) => e.degraded) } : null,
  };
}
