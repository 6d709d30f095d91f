import { DESCRIPTOR_LENGTH } from '../descriptor';
import type { GalleryReference } from '../gallery-index';
import type { PersonList } from '../person-list';
import { mulberry32 } from './mulberry32';

/**
 * Test and benchmark support (not exported from the index): seeded synthetic galleries for the
 * approximate-index recall checks and bench/matcher.
 *
 * - 'clustered' is shaped like face-api descriptors (euclidean): person centres are random, each
 *   reference is its centre plus noise, so references of one person are ~0.35 apart and references
 *   of two people ~1.25 apart; a sighting of an enrolled person is ~0.35 from their references.
 * - 'uniform' is the worst case for an approximate index: every reference an independent random
 *   vector of norm ≈ 1 (5 per "person" only by label); a sighting is one reference plus noise.
 * Strangers are drawn like a new person's centre (clustered) or a new random vector (uniform).
 */
export type SyntheticKind = 'clustered' | 'uniform';

export interface SyntheticGalleryOptions {
  kind: SyntheticKind;
  persons: number;
  refsPerPerson?: number;
  /** Queries, alternating a sighting of a random enrolled person and a stranger. */
  queries: number;
  seed?: number;
  /** Share of references with weight 0.5 (flagged outliers), then the share disabled (weight 0). */
  downWeighted?: number;
  disabled?: number;
  dimension?: number;
}

export interface SyntheticQuery {
  kind: 'enrolled' | 'stranger';
  descriptor: Float32Array;
  /** The person sighted (enrolled queries). */
  personId?: string;
}

export interface SyntheticGallery {
  refs: GalleryReference[];
  queries: SyntheticQuery[];
}

/** Per-component spreads giving the distances in the comment above for 128-d vectors. */
const CENTRE_SD = 0.075;
const NOISE_SD = 0.022;

export function syntheticGallery(options: SyntheticGalleryOptions): SyntheticGallery {
  const dim = options.dimension ?? DESCRIPTOR_LENGTH;
  const perPerson = options.refsPerPerson ?? 5;
  const random = mulberry32(options.seed ?? 12);
  const gauss = gaussian(random);
  const spread = options.kind === 'clustered' ? CENTRE_SD : 1 / Math.sqrt(dim);
  const centres = new Float32Array(options.persons * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gauss() * spread;
  // One buffer for every embedding: a million separate Float32Arrays would cost more than the data.
  const data = new Float32Array(options.persons * perPerson * dim);
  const refs: GalleryReference[] = [];
  for (let p = 0; p < options.persons; p++) {
    const list: PersonList = p % 10 === 0 ? 'watchlist' : 'employee';
    for (let r = 0; r < perPerson; r++) {
      const i = p * perPerson + r;
      const embedding = data.subarray(i * dim, (i + 1) * dim);
      for (let j = 0; j < dim; j++) embedding[j] = options.kind === 'clustered' ? centres[p * dim + j] + gauss() * NOISE_SD : gauss() * spread;
      const u = random();
      const weight = u < (options.downWeighted ?? 0) ? 0.5 : u < (options.downWeighted ?? 0) + (options.disabled ?? 0) ? 0 : 1;
      refs.push({ referenceId: `r${i}`, personId: `p${p}`, list, embedding, weight });
    }
  }
  const queries: SyntheticQuery[] = [];
  for (let q = 0; q < options.queries; q++) {
    const descriptor = new Float32Array(dim);
    if (q % 2 === 0) {
      const p = Math.floor(random() * options.persons);
      const base = options.kind === 'clustered' ? centres.subarray(p * dim, (p + 1) * dim) : data.subarray(p * perPerson * dim, (p * perPerson + 1) * dim);
      for (let j = 0; j < dim; j++) descriptor[j] = base[j] + gauss() * NOISE_SD;
      queries.push({ kind: 'enrolled', descriptor, personId: `p${p}` });
    } else {
      for (let j = 0; j < dim; j++) descriptor[j] = gauss() * spread;
      queries.push({ kind: 'stranger', descriptor });
    }
  }
  return { refs, queries };
}

/** Standard normal deviates (Box–Muller) from a uniform source. */
function gaussian(random: () => number): () => number {
  return () => {
    let u = 0;
    while (u === 0) u = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}
