import { InvalidInputError } from './errors';

/**
 * Element-wise (weighted) mean of descriptors of one length: a flip-averaged descriptor (a face
 * and its mirror image), or a person's centroid over several references. Weights default to 1
 * and must be non-negative with a positive sum.
 */
export function meanDescriptor(descriptors: ReadonlyArray<ArrayLike<number>>, weights?: readonly number[]): Float32Array {
  if (descriptors.length === 0) throw new InvalidInputError('meanDescriptor needs at least one descriptor');
  if (weights && weights.length !== descriptors.length) throw new InvalidInputError('one weight per descriptor');
  const dim = descriptors[0].length;
  const out = new Float64Array(dim);
  let total = 0;
  descriptors.forEach((d, k) => {
    if (d.length !== dim) throw new InvalidInputError(`descriptor ${k} has ${d.length} values, expected ${dim}`);
    const w = weights ? weights[k] : 1;
    if (!(w >= 0) || !Number.isFinite(w)) throw new InvalidInputError(`weight ${k} must be a finite, non-negative number`);
    total += w;
    for (let i = 0; i < dim; i++) out[i] += w * d[i];
  });
  if (!(total > 0)) throw new InvalidInputError('weights must not all be zero');
  return Float32Array.from(out, (v) => v / total);
}

/**
 * Length descriptors are normalised to: the median length of face-api's descriptors (1.43 on the
 * clean LFW photos, 5–95 % 1.31–1.55; flip-averaged the same). Normalising to it rather than to 1
 * removes the spread of lengths while keeping distances on the scale every other rule was tuned
 * in (track appearance gate, margin, score, outlier rule).
 */
export const NORMALISED_DESCRIPTOR_LENGTH = 1.43;

/** The descriptor scaled to a fixed euclidean length (default 1; a zero vector is refused). */
export function l2Normalize(descriptor: ArrayLike<number>, length = 1): Float32Array {
  let sum = 0;
  for (let i = 0; i < descriptor.length; i++) sum += descriptor[i] * descriptor[i];
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) throw new InvalidInputError('cannot normalise a zero or non-finite descriptor');
  const k = length / norm;
  return Float32Array.from({ length: descriptor.length }, (_, i) => descriptor[i] * k);
}

/** Euclidean distance between two equally long vectors, without the 128-d checks (hot loops of the calibration). */
export function rawDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}
