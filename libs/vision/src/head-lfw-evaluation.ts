import { applyHead, bestAccuracyThreshold, computeAuc, InvalidInputError, metricsAt, tarAtFar, type ScoredPair } from '@vigil/domain';
import { trainHead, type HeadSample, type HeadTrainingOptions } from './head-training';
import type { PairRow } from './pairs-csv';

/**
 * The honest LFW measurement of a learned head: for each test fold, a head is trained on the
 * photos of the OTHER folds' people, leaving out anyone who appears in the test fold (LFW's View 2
 * folds are already person-disjoint; this enforces it), and both the base descriptors and the
 * head's are scored on the test fold only. Figures per test fold:
 * - TAR@FAR1e-3 and AUC over every pair of the fold's photos (every same-person pair, every
 *   different-person pair: ~300 k impostor pairs, enough to resolve 1e-3, which the fold's 300
 *   listed impostor pairs cannot);
 * - LFW protocol accuracy on the fold's 600 listed pairs, at the best-accuracy threshold of the
 *   other folds' listed pairs (the threshold, too, is never tuned on the test fold).
 */

export interface SpaceFigures {
  tarAtFar1e3: number | null;
  auc: number | null;
  accuracy: number | null;
}

export interface HeadFoldResult {
  /** 0-based. */
  fold: number;
  trainSamples: number;
  trainPersons: number;
  testPhotos: number;
  testPairs: { same: number; different: number };
  base: SpaceFigures;
  head: SpaceFigures;
  losses: number[];
}

export interface MeanStd {
  mean: number | null;
  std: number | null;
}

export interface HeadLfwResult {
  folds: HeadFoldResult[];
  summary: Record<'base' | 'head', Record<keyof SpaceFigures, MeanStd>>;
}

export interface HeadLfwOptions {
  rows: readonly PairRow[];
  /** Descriptor of each image path the rows name (null: no face found; such photos sit out). */
  descriptors: ReadonlyMap<string, Float32Array | null>;
  /** 0-based test folds to rotate over. */
  testFolds: readonly number[];
  training: Omit<HeadTrainingOptions, 'onEpoch'>;
  onEpoch?(fold: number, epoch: number, epochs: number, loss: number): void;
}

/** LFW's image paths are Person_Name/Person_Name_0001.jpg: the folder is the person. */
export const lfwPerson = (image: string): string => image.split('/')[0]!;

function meanStd(xs: ReadonlyArray<number | null>): MeanStd {
  const v = xs.filter((x): x is number => x !== null);
  if (v.length === 0) return { mean: null, std: null };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, std: v.length < 2 ? null : Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) };
}

function distance(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

function allPairs(photos: ReadonlyArray<{ person: string; d: Float32Array }>): ScoredPair[] {
  const out: ScoredPair[] = [];
  for (let i = 0; i < photos.length; i++) for (let j = i + 1; j < photos.length; j++) out.push({ distance: distance(photos[i]!.d, photos[j]!.d), same: photos[i]!.person === photos[j]!.person });
  return out;
}

function listedPairs(rows: readonly PairRow[], embed: (image: string) => Float32Array | null): ScoredPair[] {
  const out: ScoredPair[] = [];
  for (const r of rows) {
    const a = embed(r.imageA);
    const b = embed(r.imageB);
    if (a && b) out.push({ distance: distance(a, b), same: r.same });
  }
  return out;
}

function figures(rows: { train: readonly PairRow[]; test: readonly PairRow[] }, testImages: readonly string[], embed: (image: string) => Float32Array | null): SpaceFigures {
  const photos = testImages.flatMap((image) => {
    const d = embed(image);
    return d ? [{ person: lfwPerson(image), d }] : [];
  });
  const every = allPairs(photos);
  const best = bestAccuracyThreshold(listedPairs(rows.train, embed));
  const test = listedPairs(rows.test, embed);
  return { tarAtFar1e3: tarAtFar(every, 1e-3), auc: computeAuc(every), accuracy: best && test.length ? metricsAt(test, best.threshold).accuracy : null };
}

export async function evaluateHeadOnLfw(options: HeadLfwOptions): Promise<HeadLfwResult> {
  const folds = new Set(options.rows.map((r) => r.fold));
  for (const f of options.testFolds) if (!folds.has(f)) throw new InvalidInputError(`fold ${f + 1} is not in the pairs file (it has ${folds.size})`);
  const results: HeadFoldResult[] = [];
  for (const fold of options.testFolds) {
    const test = options.rows.filter((r) => r.fold === fold);
    const train = options.rows.filter((r) => r.fold !== fold);
    const testImages = [...new Set(test.flatMap((r) => [r.imageA, r.imageB]))];
    const testPersons = new Set(testImages.map(lfwPerson));
    const trainImages = [...new Set(train.flatMap((r) => [r.imageA, r.imageB]))].filter((i) => !testPersons.has(lfwPerson(i)));
    const samples: HeadSample[] = trainImages.flatMap((image) => {
      const d = options.descriptors.get(image);
      return d ? [{ person: lfwPerson(image), descriptor: d }] : [];
    });
    const trained = await trainHead(samples, { ...options.training, onEpoch: (e, n, loss) => options.onEpoch?.(fold, e, n, loss) });
    const raw = (image: string) => options.descriptors.get(image) ?? null;
    const projected = new Map<string, Float32Array | null>();
    const viaHead = (image: string) => {
      if (!projected.has(image)) {
        const d = raw(image);
        projected.set(image, d ? applyHead(trained.head, d) : null);
      }
      return projected.get(image)!;
    };
    const testPhotos = testImages.filter((i) => raw(i)).length;
    const same = allPairs(testImages.flatMap((i) => (raw(i) ? [{ person: lfwPerson(i), d: raw(i)! }] : []))).filter((p) => p.same).length;
    results.push({
      fold,
      trainSamples: samples.length,
      trainPersons: trained.persons,
      testPhotos,
      testPairs: { same, different: (testPhotos * (testPhotos - 1)) / 2 - same },
      base: figures({ train, test }, testImages, raw),
      head: figures({ train, test }, testImages, viaHead),
      losses: trained.losses,
    });
  }
  const summary = Object.fromEntries(
    (['base', 'head'] as const).map((space) => [space, Object.fromEntries((['tarAtFar1e3', 'auc', 'accuracy'] as const).map((k) => [k, meanStd(results.map((r) => r[space][k]))]))]),
  ) as HeadLfwResult['summary'];
  return { folds: results, summary };
}
