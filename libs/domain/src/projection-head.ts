import { DESCRIPTOR_LENGTH } from './descriptor';
import { NORMALISED_DESCRIPTOR_LENGTH } from './descriptor-ops';
import { InvalidInputError } from './errors';
import { mulberry32 } from './seeded-random';
import { hash32, stratifiedSplit } from './stratified-split';

/**
 * A learned head: a linear projection of the embedding network's descriptor followed by scaling to
 * the product's descriptor length, so distances (and thresholds) stay on the scale they had. It is
 * trained on reviewed data (transfer learning: the pretrained network stays frozen, only this
 * matrix learns). Initialised at the identity, a head that learned nothing gives exactly the base
 * model's distances on the product's length-normalised descriptors.
 */
export interface ProjectionHead {
  /** Identifies the weights (content hash): the matcher rebuilds its index when this changes. */
  key: string;
  inputDims: number;
  dims: number;
  /** Row-major dims × inputDims: out[i] = Σ_j weights[i·inputDims + j] · in[j]. */
  weights: Float32Array;
}

/** How a head is stored (model_version.head): the weights as base64 float32, and what trained it. */
export interface StoredHead {
  v: 1;
  key: string;
  inputDims: number;
  dims: number;
  weights: string;
  /** What training measured (epochs, samples, persons, loss); free-form, shown by the console. */
  training?: Record<string, unknown>;
}

export const MAX_HEAD_DIMS = DESCRIPTOR_LENGTH;

function validateDims(inputDims: number, dims: number): void {
  if (inputDims !== DESCRIPTOR_LENGTH) throw new InvalidInputError(`a head projects ${DESCRIPTOR_LENGTH}-d descriptors, not ${inputDims}-d`);
  if (!Number.isInteger(dims) || dims < 8 || dims > MAX_HEAD_DIMS) throw new InvalidInputError(`head dims must be an integer from 8 to ${MAX_HEAD_DIMS}, got ${String(dims)}`);
}

function keyOf(weights: Float32Array, dims: number): string {
  const bytes = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength).toString('base64');
  return `${dims}-${hash32(bytes).toString(16).padStart(8, '0')}${hash32(`${bytes.length}:${bytes}`).toString(16).padStart(8, '0')}`;
}

export function makeHead(weights: Float32Array, dims: number, inputDims: number = DESCRIPTOR_LENGTH): ProjectionHead {
  validateDims(inputDims, dims);
  if (weights.length !== dims * inputDims) throw new InvalidInputError(`a ${dims}×${inputDims} head needs ${dims * inputDims} weights, got ${weights.length}`);
  for (let i = 0; i < weights.length; i++) if (!Number.isFinite(weights[i])) throw new InvalidInputError(`head weight ${i} is not a finite number`);
  return { key: keyOf(weights, dims), inputDims, dims, weights };
}

/** The identity projection (the first `dims` coordinates when dims < 128). */
export function identityHead(dims: number = DESCRIPTOR_LENGTH): ProjectionHead {
  const w = new Float32Array(dims * DESCRIPTOR_LENGTH);
  for (let i = 0; i < dims; i++) w[i * DESCRIPTOR_LENGTH + i] = 1;
  return makeHead(w, dims);
}

/**
 * The descriptor in the head's space: projected, then scaled to NORMALISED_DESCRIPTOR_LENGTH.
 * A projection that lands on zero (a degenerate head) keeps a zero vector: it matches nobody
 * rather than throwing in the middle of a camera's frame.
 */
export function applyHead(head: ProjectionHead, descriptor: ArrayLike<number>): Float32Array {
  const n = head.inputDims;
  if (descriptor.length !== n) throw new InvalidInputError(`descriptor must have ${n} values, got ${descriptor.length}`);
  const out = new Float32Array(head.dims);
  const w = head.weights;
  let sum = 0;
  for (let i = 0; i < head.dims; i++) {
    let acc = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) acc += w[row + j] * descriptor[j];
    out[i] = acc;
    sum += acc * acc;
  }
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm)) return out.fill(0);
  const k = NORMALISED_DESCRIPTOR_LENGTH / norm;
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

export function encodeHead(head: ProjectionHead, training?: Record<string, unknown>): StoredHead {
  const w = head.weights;
  return { v: 1, key: head.key, inputDims: head.inputDims, dims: head.dims, weights: Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64'), ...(training ? { training } : {}) };
}

/** Parses a stored head; InvalidInputError when it is not one (a hand-edited row). */
export function decodeHead(raw: unknown): ProjectionHead {
  const s = raw as Partial<StoredHead> | null;
  if (!s || typeof s !== 'object' || s.v !== 1 || typeof s.weights !== 'string' || typeof s.dims !== 'number' || typeof s.inputDims !== 'number') {
    throw new InvalidInputError('a stored head needs v 1, inputDims, dims and base64 weights');
  }
  const buf = Buffer.from(s.weights, 'base64');
  if (buf.byteLength % 4 !== 0) throw new InvalidInputError('a stored head\'s weights are not float32 values');
  return makeHead(new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)), s.dims, s.inputDims);
}

/**
 * Splits items into parts BY PERSON (every item of a person lands in the same part), seeded and
 * reproducible: a held-out person was never seen in training, as the LFW protocol demands and as
 * a head must generalise to people enrolled after it was trained.
 */
export function splitByPerson<T>(items: readonly T[], person: (item: T) => string, ratios: readonly number[], seed: number): T[][] {
  const persons = [...new Set(items.map(person))];
  const parts = stratifiedSplit(persons, { key: (p) => p, stratum: () => 'all', ratios, seed });
  const partOf = new Map<string, number>();
  parts.forEach((ps, i) => ps.forEach((p) => partOf.set(p, i)));
  const out: T[][] = ratios.map(() => []);
  for (const item of items) out[partOf.get(person(item))!].push(item);
  return out;
}

/**
 * One epoch of P×K batches for a metric-learning loss: persons with at least two samples are
 * shuffled (seeded by epoch) and taken `personsPerBatch` at a time, up to `perPerson` of each
 * one's samples (shuffled too). Every batch thus holds positive pairs (same person) and negative
 * pairs (the other persons). Returns indices into the sample list.
 */
export function personBatches(persons: readonly string[], options: { personsPerBatch: number; perPerson: number; seed: number }): number[][] {
  const { personsPerBatch, perPerson, seed } = options;
  if (!Number.isInteger(personsPerBatch) || personsPerBatch < 2) throw new InvalidInputError('a batch needs at least 2 persons');
  if (!Number.isInteger(perPerson) || perPerson < 2) throw new InvalidInputError('a batch needs at least 2 samples per person');
  const byPerson = new Map<string, number[]>();
  persons.forEach((p, i) => {
    const list = byPerson.get(p);
    if (list) list.push(i);
    else byPerson.set(p, [i]);
  });
  const random = mulberry32(seed);
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const eligible = shuffle([...byPerson.values()].filter((l) => l.length >= 2));
  const batches: number[][] = [];
  for (let i = 0; i + 1 < eligible.length; i += personsPerBatch) {
    const group = eligible.slice(i, i + personsPerBatch);
    if (group.length < 2) break;
    batches.push(group.flatMap((l) => shuffle([...l]).slice(0, perPerson)));
  }
  return batches;
}
