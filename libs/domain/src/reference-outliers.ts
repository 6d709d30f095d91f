import { DEFAULT_MATCH_THRESHOLD, DESCRIPTOR_LENGTH, type Descriptor } from './descriptor';
import { InvalidInputError } from './errors';

/**
 * Outlier references: a photo enrolled on a person whose embedding sits far from that person's
 * other photos is most often a mislabelled photo (someone else), a badly lit or partly covered
 * face, or a face the detector cropped wrongly. Such a reference produces false accepts for
 * whoever resembles *it*, so it is flagged and the matcher trusts it less.
 *
 * The rule, for one person's own (non-augmented) references, n of them:
 *   - with fewer than `minReferences` (3) nothing is flagged: with two photos there is no way to
 *     tell which one is the odd one;
 *   - d_i = euclidean distance of reference i to the mean of the person's other references
 *     (leave-one-out, so a reference cannot pull the centre towards itself);
 *   - reference i is an outlier when BOTH
 *       d_i > `distanceThreshold` (DEFAULT_MATCH_THRESHOLD, 0.45: it would not even match the
 *            average of its own person's other photos at the looser list threshold), and
 *       d_i > `relativeFactor` (1.25) × the median of the other references' d_j (it is unusual
 *            *for this person*: someone whose photos are all equally spread — years apart,
 *            glasses on and off — has no outlier, only a wide spread).
 * Augmented variants are left out of the statistics (five near-copies of one photo would make
 * that photo the centre) and share the flag of the photo they were derived from.
 */
export interface OutlierRule {
  minReferences: number;
  distanceThreshold: number;
  relativeFactor: number;
}

export const DEFAULT_OUTLIER_RULE: Readonly<OutlierRule> = Object.freeze({
  minReferences: 3,
  distanceThreshold: DEFAULT_MATCH_THRESHOLD,
  relativeFactor: 1.25,
});

/**
 * Weight (see GalleryIndex: effective distance = raw / weight) of a reference flagged as an
 * outlier. 0.75 turns a raw 0.30 into 0.40, the watchlist threshold: an outlier still matches a
 * face that is very close to it, but no longer the borderline faces where its false accepts live.
 * The person's other references keep weight 1, so a genuine person is still found through them.
 */
export const OUTLIER_REFERENCE_WEIGHT = 0.75;

export interface PersonReference {
  id: string;
  embedding: Descriptor;
  /** Set for augmented variants: the reference they were derived from. */
  derivedFromId?: string | null;
}

export interface ReferenceAssessment {
  outlier: boolean;
  weight: number;
  /** d_i for the person's own references (null for variants, or when too few to judge). */
  distance: number | null;
}

/** d_i for each reference (leave-one-out mean distance), in input order; empty when fewer than 2. */
export function leaveOneOutDistances(embeddings: readonly Descriptor[]): number[] {
  const n = embeddings.length;
  if (n < 2) return [];
  const sum = new Float64Array(DESCRIPTOR_LENGTH);
  embeddings.forEach((e, i) => {
    assertDescriptor(e, i);
    for (let k = 0; k < DESCRIPTOR_LENGTH; k++) sum[k] += e[k];
  });
  return embeddings.map((e) => {
    let sq = 0;
    for (let k = 0; k < DESCRIPTOR_LENGTH; k++) {
      const diff = e[k] - (sum[k] - e[k]) / (n - 1);
      sq += diff * diff;
    }
    return Math.sqrt(sq);
  });
}

/**
 * Flags and weights for every current reference of one person (own photos and their variants).
 * Throws InvalidInputError on duplicate ids, bad embeddings or a variant whose original is absent.
 */
export function assessPersonReferences(
  refs: readonly PersonReference[],
  rule: OutlierRule = DEFAULT_OUTLIER_RULE,
): Map<string, ReferenceAssessment> {
  validateRule(rule);
  const ids = new Set<string>();
  for (const r of refs) {
    if (typeof r.id !== 'string' || r.id === '') throw new InvalidInputError('reference id must be a non-empty string');
    if (ids.has(r.id)) throw new InvalidInputError(`duplicate reference id ${r.id}`);
    ids.add(r.id);
  }
  const own = refs.filter((r) => !r.derivedFromId);
  const ownIds = new Set(own.map((r) => r.id));
  const result = new Map<string, ReferenceAssessment>();
  const judged = own.length >= rule.minReferences;
  const distances = judged ? leaveOneOutDistances(own.map((r) => r.embedding)) : [];
  own.forEach((r, i) => {
    let outlier = false;
    const d = judged ? distances[i]! : null;
    if (d !== null && d > rule.distanceThreshold) {
      const others = distances.filter((_, j) => j !== i);
      outlier = d > rule.relativeFactor * median(others);
    }
    if (!judged) assertDescriptor(r.embedding, i);
    result.set(r.id, { outlier, weight: outlier ? OUTLIER_REFERENCE_WEIGHT : 1, distance: d });
  });
  for (const r of refs) {
    if (!r.derivedFromId) continue;
    const original = ownIds.has(r.derivedFromId) ? result.get(r.derivedFromId) : undefined;
    if (!original) {
      throw new InvalidInputError(`variant ${r.id} is derived from ${r.derivedFromId}, which is not one of the person's current references`);
    }
    result.set(r.id, { outlier: original.outlier, weight: original.weight, distance: null });
  }
  return result;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function assertDescriptor(e: Descriptor, index: number): void {
  if (e?.length !== DESCRIPTOR_LENGTH) {
    throw new InvalidInputError(`embedding ${index} must have ${DESCRIPTOR_LENGTH} values, got ${String(e?.length)}`);
  }
  for (let k = 0; k < DESCRIPTOR_LENGTH; k++) {
    if (!Number.isFinite(e[k])) throw new InvalidInputError(`embedding ${index} contains a non-finite value`);
  }
}

function validateRule(rule: OutlierRule): void {
  if (!Number.isInteger(rule.minReferences) || rule.minReferences < 3) {
    throw new InvalidInputError('minReferences must be an integer of at least 3 (two references cannot tell which is odd)');
  }
  if (!(rule.distanceThreshold > 0) || !Number.isFinite(rule.distanceThreshold)) {
    throw new InvalidInputError('distanceThreshold must be a positive number');
  }
  if (!(rule.relativeFactor >= 1) || !Number.isFinite(rule.relativeFactor)) {
    throw new InvalidInputError('relativeFactor must be a number of at least 1');
  }
}
