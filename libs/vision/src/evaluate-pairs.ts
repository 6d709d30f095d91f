import * as fs from 'node:fs/promises';
import {
  computeVerificationMetrics,
  DEFAULT_MATCH_THRESHOLD,
  DomainError,
  euclideanDistance,
  InvalidInputError,
  validateMatchThreshold,
  type ScoredPair,
  type TarFarTarget,
} from '@vigil/domain';
import { largestFace, type DetectedFace, type DetectOptions } from './face-engine';
import { readPairsCsv, resolveInside, type PairRow } from './pairs-csv';

/** Anything that finds faces in an encoded image: FaceEngine in-process, or InferencePool. */
export interface ImageFaceDetector {
  detectImage(encoded: Uint8Array, options?: DetectOptions): Promise<DetectedFace[]>;
}

export interface EvaluatePairsOptions {
  pairsCsvPath: string;
  imagesDir: string;
  /** Match threshold (distance <= threshold is a match). Default DEFAULT_MATCH_THRESHOLD. */
  threshold?: number;
  engine: ImageFaceDetector;
  detectOptions?: DetectOptions;
  /** Images embedded at once; raise it to the pool's worker count when engine is a pool. Default 1. */
  concurrency?: number;
}

export interface NoFacePair {
  line: number;
  imageA: string;
  imageB: string;
  /** Which of the two images had no detectable face. */
  missing: string[];
}

export interface EvaluationResult {
  pairs: number;
  positives: number;
  negatives: number;
  auc: number | null;
  threshold: number;
  accuracy: number | null;
  far: number | null;
  frr: number | null;
  bestThreshold: number | null;
  bestAccuracy: number | null;
  tarAtFar: Record<TarFarTarget, number | null>;
  confusion: { tp: number; fp: number; tn: number; fn: number };
  /** Pairs excluded from the metrics because an image had no face. */
  noFace: NoFacePair[];
}

async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  });
  await Promise.all(runners);
}

/**
 * Verification evaluation over a pairs file: each distinct image is embedded once (its largest
 * face), pairs are scored by euclidean distance and summarised with @vigil/domain's metrics.
 */
export async function evaluatePairs(options: EvaluatePairsOptions): Promise<EvaluationResult> {
  const threshold = validateMatchThreshold(options.threshold ?? DEFAULT_MATCH_THRESHOLD);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidInputError('concurrency must be a positive integer');
  let imagesDir: string;
  try {
    imagesDir = await fs.realpath(options.imagesDir);
    if (!(await fs.stat(imagesDir)).isDirectory()) throw new Error('not a directory');
  } catch {
    throw new InvalidInputError(`images directory not found: ${options.imagesDir}`);
  }
  const rows = await readPairsCsv(options.pairsCsvPath);

  // Resolve every path before any inference so that a bad row fails fast.
  const resolved = new Map<PairRow, [string, string]>();
  const firstLine = new Map<string, { line: number; relative: string }>();
  for (const row of rows) {
    const a = await resolveInside(imagesDir, row.imageA, row.line);
    const b = await resolveInside(imagesDir, row.imageB, row.line);
    resolved.set(row, [a, b]);
    if (!firstLine.has(a)) firstLine.set(a, { line: row.line, relative: row.imageA });
    if (!firstLine.has(b)) firstLine.set(b, { line: row.line, relative: row.imageB });
  }

  const descriptors = new Map<string, Float32Array | null>();
  await mapLimit([...firstLine.keys()], concurrency, async (file) => {
    const where = firstLine.get(file) as { line: number; relative: string };
    let faces: DetectedFace[];
    try {
      faces = await options.engine.detectImage(await fs.readFile(file), { ...options.detectOptions, descriptors: true });
    } catch (err) {
      if (err instanceof DomainError) {
        // Same error class (same HTTP status), but say which image of the file failed.
        const Ctor = err.constructor as new (m: string, d?: Record<string, unknown>) => DomainError;
        throw new Ctor(`pairs CSV line ${where.line}: image '${where.relative}': ${err.message}`, err.details);
      }
      throw err;
    }
    descriptors.set(file, largestFace(faces)?.descriptor ?? null);
  });

  const scored: ScoredPair[] = [];
  const noFace: NoFacePair[] = [];
  for (const row of rows) {
    const [a, b] = resolved.get(row) as [string, string];
    const da = descriptors.get(a);
    const db = descriptors.get(b);
    if (!da || !db) {
      noFace.push({
        line: row.line,
        imageA: row.imageA,
        imageB: row.imageB,
        missing: [...(!da ? [row.imageA] : []), ...(!db && b !== a ? [row.imageB] : [])],
      });
      continue;
    }
    scored.push({ distance: euclideanDistance(da, db), same: row.same });
  }

  const m = computeVerificationMetrics(scored, threshold);
  return {
    pairs: m.pairs,
    positives: m.positives,
    negatives: m.negatives,
    auc: m.auc,
    threshold,
    accuracy: m.accuracy,
    far: m.far,
    frr: m.frr,
    bestThreshold: m.bestThreshold,
    bestAccuracy: m.bestAccuracy,
    tarAtFar: m.tarAtFar,
    confusion: m.confusion,
    noFace,
  };
}
