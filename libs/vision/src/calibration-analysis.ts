import {
  computeAuc,
  crossValidatedAccuracy,
  DEFAULT_MATCH_POLICY,
  DistanceDistribution,
  metricsAt,
  mulberry32,
  rawDistance,
  tarAtFarPoint,
  type CrossValidatedAccuracy,
  type FoldedPair,
  type MatchPolicy,
  type TarFarPoint,
} from '@vigil/domain';
import type { FaceSample, ImageSample } from './calibration-sample';
import { DESCRIPTOR_VARIANTS, variantDescriptor, type DescriptorVariant } from './calibration-variants';

/**
 * Which copies a pair compares: both clean (LFW as published), both degraded (the degraded copy),
 * or `mixed` — the first clean, the second degraded: an enrolment photo against a camera face,
 * which is what the product actually compares.
 */
export const PAIR_CONDITIONS = ['clean', 'degraded', 'mixed'] as const;
export type PairCondition = (typeof PAIR_CONDITIONS)[number];

export interface CalibrationPair {
  imageA: string;
  imageB: string;
  same: boolean;
  fold: number;
}

export interface CalibrationData {
  pairs: readonly CalibrationPair[];
  folds: number;
  /** Every image the pairs name (others may be there too: all of them feed the all-pairs figures). */
  samples: ReadonlyMap<string, ImageSample>;
}

export interface AnalysisOptions {
  seed?: number;
  /** Impostor pairs drawn at random among all images (default 2,000,000: resolves FAR 1e-5). */
  impostorSamples?: number;
  policy?: MatchPolicy;
  variants?: readonly DescriptorVariant[];
}

export const PROTOCOL_FARS = ['1e-2', '1e-3', '1e-4'] as const;
export const ALL_PAIRS_FARS = ['1e-3', '1e-4', '1e-5'] as const;

export interface ListRates {
  threshold: number;
  far: number | null;
  frr: number | null;
}

export interface VerificationRow {
  variant: string;
  condition: PairCondition;
  /** pairs.txt pairs scored (both images had a face in this condition) and skipped. */
  pairs: number;
  noFace: number;
  protocol: CrossValidatedAccuracy;
  auc: number | null;
  tarAtFar: Record<(typeof PROTOCOL_FARS)[number], TarFarPoint | null>;
  /** At the policy's list thresholds. */
  atPolicy: { watchlist: ListRates; employee: ListRates };
  /** Every same-person pair among the images, and sampled different-person pairs. */
  allPairs: {
    genuine: number;
    impostor: number;
    tarAtFar: Record<(typeof ALL_PAIRS_FARS)[number], TarFarPoint | null>;
    /** [threshold, FAR, TAR] every 0.01 from 0.20 to 0.80: the ROC, for reading any threshold off. */
    curve: Array<[number, number, number]>;
  };
}

/** A seeded PRNG: the same pairs and galleries for every variant and every run. */
export const seededRandom = mulberry32;

/** Identity of an image: its folder (LFW's `<Name>/<Name>_0001.jpg` layout). */
export function identityOf(image: string): string {
  const slash = image.indexOf('/');
  return slash > 0 ? image.slice(0, slash) : image;
}

/** Per-image descriptors of one variant, clean and degraded (null where no face). */
export interface VariantTable {
  images: string[];
  identity: string[];
  clean: Array<Float32Array | null>;
  degraded: Array<Float32Array | null>;
  cleanFaces: Array<FaceSample | null>;
}

export function variantTable(samples: ReadonlyMap<string, ImageSample>, variant: DescriptorVariant): VariantTable {
  const images = [...samples.keys()].sort();
  const t: VariantTable = { images, identity: images.map(identityOf), clean: [], degraded: [], cleanFaces: [] };
  for (const image of images) {
    const s = samples.get(image) as ImageSample;
    t.clean.push(s.clean ? variantDescriptor(s.clean, variant) : null);
    t.degraded.push(s.degraded ? variantDescriptor(s.degraded, variant) : null);
    t.cleanFaces.push(s.clean);
  }
  return t;
}

const sides = (c: PairCondition): ['clean' | 'degraded', 'clean' | 'degraded'] => (c === 'mixed' ? ['clean', 'degraded'] : [c, c]);

function protocolFigures(table: VariantTable, data: CalibrationData, condition: PairCondition, policy: MatchPolicy) {
  const index = new Map(table.images.map((img, i) => [img, i]));
  const [sa, sb] = sides(condition);
  const scored: FoldedPair[] = [];
  let noFace = 0;
  for (const p of data.pairs) {
    const ia = index.get(p.imageA);
    const ib = index.get(p.imageB);
    const a = ia === undefined ? null : table[sa][ia];
    const b = ib === undefined ? null : table[sb][ib];
    if (!a || !b) noFace++;
    else scored.push({ distance: rawDistance(a, b), same: p.same, fold: p.fold });
  }
  const at = (threshold: number): ListRates => {
    const m = metricsAt(scored, threshold);
    return { threshold, far: m.far, frr: m.frr };
  };
  return {
    pairs: scored.length,
    noFace,
    protocol: crossValidatedAccuracy(scored, data.folds),
    auc: computeAuc(scored),
    tarAtFar: Object.fromEntries(PROTOCOL_FARS.map((f) => [f, tarAtFarPoint(scored, Number(f))])) as VerificationRow['tarAtFar'],
    atPolicy: { watchlist: at(policy.thresholds.watchlist), employee: at(policy.thresholds.employee) },
  };
}

function allPairsFigures(table: VariantTable, condition: PairCondition, impostorSamples: number, seed: number): VerificationRow['allPairs'] {
  const [sa, sb] = sides(condition);
  const genuine = new DistanceDistribution();
  const impostor = new DistanceDistribution();
  const byIdentity = new Map<string, number[]>();
  table.identity.forEach((id, i) => byIdentity.set(id, [...(byIdentity.get(id) ?? []), i]));
  for (const members of byIdentity.values()) {
    for (const i of members) {
      for (const j of members) {
        // Clean/degraded: each unordered pair once; mixed: both orders (each photo once the reference).
        if (i === j || (condition !== 'mixed' && j < i)) continue;
        const a = table[sa][i];
        const b = table[sb][j];
        if (a && b) genuine.add(rawDistance(a, b));
      }
    }
  }
  const rnd = seededRandom(seed);
  const n = table.images.length;
  for (let k = 0; k < impostorSamples && n > 1; k++) {
    const i = Math.floor(rnd() * n);
    const j = Math.floor(rnd() * n);
    if (table.identity[i] === table.identity[j]) continue;
    const a = table[sa][i];
    const b = table[sb][j];
    if (a && b) impostor.add(rawDistance(a, b));
  }
  const tarAtFar = {} as VerificationRow['allPairs']['tarAtFar'];
  for (const f of ALL_PAIRS_FARS) {
    const threshold = impostor.thresholdForRate(Number(f));
    const tar = threshold === null ? null : genuine.rateAtOrBelow(threshold);
    tarAtFar[f] = threshold === null || tar === null ? null : { tar, threshold };
  }
  const curve: Array<[number, number, number]> = [];
  for (let c = 20; c <= 80; c++) curve.push([c / 100, impostor.rateAtOrBelow(c / 100) ?? 0, genuine.rateAtOrBelow(c / 100) ?? 0]);
  return { genuine: genuine.size, impostor: impostor.size, tarAtFar, curve };
}

/** FAR and TAR at a threshold, read off the curve (linear between its 0.01 steps). */
export function readCurve(curve: ReadonlyArray<[number, number, number]>, threshold: number): { far: number; tar: number } | null {
  for (let k = 1; k < curve.length; k++) {
    const [t0, f0, r0] = curve[k - 1];
    const [t1, f1, r1] = curve[k];
    if (threshold >= t0 && threshold <= t1) {
      const w = (threshold - t0) / (t1 - t0);
      return { far: f0 + w * (f1 - f0), tar: r0 + w * (r1 - r0) };
    }
  }
  return null;
}

/** Verification figures of every variant in every pair condition. */
export function verificationRows(data: CalibrationData, options: AnalysisOptions = {}): VerificationRow[] {
  const policy = options.policy ?? DEFAULT_MATCH_POLICY;
  const rows: VerificationRow[] = [];
  for (const variant of options.variants ?? DESCRIPTOR_VARIANTS) {
    const table = variantTable(data.samples, variant);
    for (const condition of PAIR_CONDITIONS) {
      rows.push({
        variant: variant.id,
        condition,
        ...protocolFigures(table, data, condition, policy),
        allPairs: allPairsFigures(table, condition, options.impostorSamples ?? 2_000_000, options.seed ?? 1),
      });
    }
  }
  return rows;
}
